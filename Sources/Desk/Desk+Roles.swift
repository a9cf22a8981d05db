import Core
import Foundation

/// Who the desk's user is in the book and which customers they may work: roles.toml (and
/// policy.toml, which every session must apply alike) read again when it changes, and the
/// refusal of a change by someone who may only look.
extension Desk {
    /// Reads roles.toml again; refuses a user it no longer lists.
    func reloadRoles() throws {
        // Read only when the file changed (the workstation asks every second when it polls).
        let stamp = Roles.stamp(folder: folder)
        if stamp != rolesStamp || stamp == nil && roles != nil {
            let before = role
            roles = try Roles.load(folder: folder)
            rolesStamp = stamp
            rolesFileMissing = roles == nil && !Roles.mayActWithoutFile(folder: folder)
            // A collector sees only their own and unassigned customers: what every view lists changes.
            if role != before { changes.everything = true }
        }
        if let roles, roles.role(of: user) == nil {
            throw DeskError.notAllowed("\(user) is no longer listed in \(folder.rolesPath); ask a manager to add you")
        }
    }

    /// Reads roles.toml and policy.toml again before a change, and refuses one when the shared
    /// book has lost the roles file (see `rolesFileMissing`).
    func checkSharedFilesForChange() throws {
        try reloadRoles()
        rereadPolicy()
        // The folder's mode is looked at again here, not at every poll: only a change needs it.
        rolesFileMissing = roles == nil && !Roles.mayActWithoutFile(folder: folder)
        if rolesFileMissing {
            throw DeskError.notAllowed(Roles.missingFileRefusal(folder))
        }
    }

    /// Reads policy.toml again when it changed: a manager's new fee, level or queue points apply
    /// to the sessions already open (a run from one of them billed the old fee). A file that does
    /// not read keeps the last policy read and says why in `policyProblem`, read once per change:
    /// a call or a note does not wait for a policy being edited (a dunning run does).
    func rereadPolicy() {
        let stamp = Roles.stamp(path: folder.policyPath)
        guard stamp != policyStamp else { return }
        policyStamp = stamp
        do {
            policy = try PolicyFile.load(folder: folder, currency: book.currency)
            policyProblem = nil
            changes.everything = true  // the queue's points and levels
        } catch {
            policyProblem = "\(error)"
        }
    }

    /// Why the signed-in user may not act on `customer`, or nil: a collector works their own and
    /// unassigned customers; another collector's are theirs (a claim or a promise there would
    /// hide the customer from its collector's queue). The workstation asks before opening a form.
    /// A customer claimed today by someone else is theirs for the day (two collectors calling
    /// one customer is what a claim prevents): a manager may still act, and release the claim.
    public func refusal(toWork customer: CustomerID) -> Phrase? {
        guard role == .collector else { return nil }
        if let assigned = book.customers[customer]?.collector, assigned != user {
            let name = displayName(of: assigned)
            return Phrase("\(customer) is \(name)'s customer; ask a manager to assign it to you", zh: "\(customer) 是 \(name) 的客户；请信用经理把它分配给你")
        }
        if let holder = book.claimHolder(of: customer, on: today), holder != user {
            let name = displayName(of: holder)
            return Phrase("\(customer) is claimed by \(name) today; ask them, or a manager, to release it",
                          zh: "\(customer) 今天已被 \(name) 认领；请其本人或信用经理释放")
        }
        return nil
    }

    /// How people are named to people: roles.toml's `[names]` (李娜), else the login.
    public func displayName(of login: String) -> String { roles?.name(of: login) ?? login }

    /// The user's role: as roles.toml says. A book without the file treats its user as an
    /// admin, unless its folder is shared and the user does not own it (a collector who deleted
    /// the file is no admin); a user the file does not list has a collector's view. Either may
    /// only look: `reloadRoles` refuses their changes.
    public var role: Roles.Role {
        if let roles { return roles.role(of: user) ?? .collector }
        return rolesFileMissing ? .collector : .admin
    }

    /// The user may only look (removed from `roles.toml` while open, or the file gone from a
    /// shared folder): what a title says instead of a role they do not have.
    public var viewsOnly: Bool { roles.map { $0.role(of: user) == nil } ?? rolesFileMissing }

    /// The templates this user's documents are written with: the book's own, then
    /// `$ARDESK_TEMPLATES` (for a manager trying a letter out; not a collector's, whose own
    /// folder would put their words in the team's letters), then the shipped ones.
    var templates: TemplateLibrary {
        var environment = ProcessInfo.processInfo.environment
        if role == .collector { environment["ARDESK_TEMPLATES"] = nil }
        return .standard(book: folder, environment: environment)
    }
}
