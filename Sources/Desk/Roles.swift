import Foundation
import TOMLKit
import TOMLPlaces

/// Who may do what in a book, from `roles.toml`:
///
///     [users]
///     alice = "collector"
///     carol = "manager"
///
///     [names]            # optional: what letters are signed with, instead of the login
///     alice = "Alice Wang"
///
/// A book without the file is a single-user book where the user may do everything. Identity is
/// always the process's operating-system user, never a flag or an environment variable.
public struct Roles: Sendable {
    public enum Role: String, Sendable, CaseIterable { case collector, manager, admin }

    public let users: [String: Role]
    /// Each user's name as a customer reads it (a letter's signature); a user without one signs
    /// with their login.
    public let names: [String: String]

    public init(users: [String: Role], names: [String: String] = [:]) { self.users = users; self.names = names }

    /// The login whose `[names]` entry is `name` (a collector written as 李娜 for li.na).
    public func login(named name: String) -> String? { names.first { $0.value == name }.map(\.key) }

    /// "… is not a user in this book's roles.toml", with the login when `name` is a user's name.
    func notAUser(_ name: String) -> Phrase {
        guard let login = login(named: name) else {
            return Phrase("\(name) is not a user in this book's roles.toml", zh: "\(name) 不是本账簿 roles.toml 中的用户")
        }
        // The name kept for one who left [users]: writing the login would be refused too.
        guard users[login] != nil else {
            return Phrase("\(name) is the name of \(login), who is no longer a user in this book's roles.toml",
                          zh: "\(name) 是 \(login) 的姓名，但其已不是本账簿 roles.toml 中的用户")
        }
        return Phrase("\(name) is not a user in this book's roles.toml but the name of \(login): write \(login)",
                      zh: "\(name) 不是本账簿 roles.toml 中的用户，而是 \(login) 的姓名：请写 \(login)")
    }

    /// What a letter from `user` is signed with.
    public func name(of user: String) -> String { names[user] ?? user }

    /// What identifies the roles file's content and trust (inode, size, owner, mode, change time);
    /// nil when there is none. Equal stamps mean there is nothing new to read.
    public struct FileStamp: Equatable, Sendable {
        let inode: UInt64, size: Int64, owner: UInt32, mode: UInt32, changed: Int, changedNanoseconds: Int
    }

    public static func stamp(folder: BookFolder) -> FileStamp? { stamp(path: folder.rolesPath) }

    /// The same for any file the desk reads again when it changes (policy.toml).
    static func stamp(path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        // The change time moves on every write, chmod and chown: what `load` checks.
        return FileStamp(inode: UInt64(info.st_ino), size: Int64(info.st_size), owner: info.st_uid, mode: info.st_mode,
                         changed: info.st_ctim.tv_sec, changedNanoseconds: info.st_ctim.tv_nsec)
    }

    /// Nil when the book has no roles file. Refuses a file that others could have rewritten.
    public static func load(folder: BookFolder) throws -> Roles? {
        let path = folder.rolesPath
        guard TrustedFile.entryExists(path) else { return nil }
        // A collector's own roles file would make them a manager.
        try TrustedFile.check(path, in: folder, what: "the roles file")
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeskError.notAllowed("cannot read \(path) (\(String(cString: strerror(access(path, R_OK) == 0 ? EIO : errno)))); its owner must let the book's users read it (chmod 644)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw DeskError.invalid("\(path) is not UTF-8 text") }
        return try parse(text, file: path)
    }

    /// Whether this process may act as the admin of a book without roles.toml: its folder is
    /// not writable by its group or others (nobody else could have removed the file), or the
    /// process runs as root or as the folder's owner. In a shared folder anyone of the group
    /// can delete a file; that must not make them its admin.
    public static func mayActWithoutFile(folder: BookFolder) -> Bool {
        var info = stat()
        guard stat(folder.path, &info) == 0 else { return true }  // no folder: nothing to act on yet
        if info.st_mode & (S_IWGRP | S_IWOTH) == 0 { return true }
        let uid = getuid()
        return uid == 0 || uid == info.st_uid
    }

    /// What a user who may not act on a shared book without roles.toml is told (see `mayActWithoutFile`).
    public static func missingFileRefusal(_ folder: BookFolder) -> Phrase {
        Phrase("\(folder.path) can be written by its group but has no roles.toml: only its owner (or root) may change it. "
               + "A team's book needs the file back (a manager's); a single user's book, `chmod g-w \(folder.path)`",
               zh: "\(folder.path) 可被同组用户写入，但没有 roles.toml：只有其所有者（或 root）可以修改。团队账簿需由经理恢复该文件；个人账簿请执行 `chmod g-w \(folder.path)`")
    }

    public static func parse(_ text: String, file: String) throws -> Roles {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw DeskError.invalid(Phrase(TOMLSyntaxError.text(file: file, line: error.source.begin.line, column: error.source.begin.column,
                                                problem: error.description, source: text)))
        }
        guard let usersTable = table["users"]?.table else {
            throw DeskError.invalid("\(file): needs a [users] table mapping user names to collector, manager or admin")
        }
        var users: [String: Role] = [:]
        for (name, value) in usersTable {
            // `li.na = "collector"` unquoted is TOML for a table `li` holding `na`: say how to write it.
            if let inner = value.table, let (rest, innerValue) = inner.first(where: { _ in true }), innerValue.string != nil {
                let place = TOMLKeyPlaces(text: text).place(of: ["users", name, rest])?.suffix ?? ""
                throw DeskError.invalid("\(file)\(place): \(name).\(rest) without quotes is not a user name but a table; write a name with a dot in quotes: \"\(name).\(rest)\" = \"\(innerValue.string!)\"")
            }
            guard let raw = value.string, let role = Role(rawValue: raw) else {
                let place = TOMLKeyPlaces(text: text).place(of: ["users", name])?.suffix ?? ""
                throw DeskError.invalid("\(file)\(place): users.\(name) must be \"collector\", \"manager\" or \"admin\"")
            }
            users[name] = role
        }
        var names: [String: String] = [:]
        if let value = table["names"] {
            guard let namesTable = value.table else {
                throw DeskError.invalid("\(file)\(TOMLKeyPlaces(text: text).place(of: ["names"])?.suffix ?? ""): names must be a table of user names to the names letters are signed with")
            }
            for (user, value) in namesTable {
                let place = TOMLKeyPlaces(text: text).place(of: ["names", user])?.suffix ?? ""
                // A user taken out of [users] (who left) may keep a name: their past work still shows it.
                guard let name = value.string?.trimmingCharacters(in: .whitespaces), !name.isEmpty, !name.contains(where: \.isNewline) else {
                    throw DeskError.invalid("\(file)\(place): names.\(user) must be a name on one line, as letters are signed (\"Li Na\", \"李娜\")")
                }
                names[user] = name
            }
        }
        return Roles(users: users, names: names)
    }

    public func role(of user: String) -> Role? { users[user] }

    /// Why `user` may not perform `command`, or nil when they may.
    /// A dunning run changes levels and sends letters for the whole book: a manager's work.
    public func refusal(ofDunningRunBy user: String) -> Phrase? {
        guard let role = users[user] else { return Phrase("\(user) is not listed in this book's roles.toml", zh: "\(user) 不在本账簿的 roles.toml 中") }
        return role == .collector ? Phrase("only a manager can run dunning (a collector may preview it: --dry-run, or :dunning in the workstation)", zh: "只有信用经理可以执行催收批处理（催收员可预览：--dry-run，或工作台中的 :dunning）") : nil
    }

    public func refusal(of command: Command, by user: String) -> Phrase? {
        guard let role = users[user] else { return Phrase("\(user) is not listed in this book's roles.toml", zh: "\(user) 不在本账簿的 roles.toml 中") }
        if role != .collector { return nil }
        switch command {
        case .logCall, .promise, .plan, .callback, .note, .dispute, .resolveDispute, .documentSent, .writeStatement, .claim, .release,
             .markWorked, .undoLast, .request:
            return nil
        case .changeProfile(_, .contacts, _):
            return nil  // who to call and how: a collector learns it on the phone
        case .changeProfile(_, .creditLimit, _):
            return Phrase("collectors cannot change limits; request a limit change for a manager to approve (ardesk request limit, r in the workstation)",
                          zh: "催收员不能修改额度；请提交额度申请由信用经理审批（ardesk request limit，工作台中按 r）")
        case .changeProfile, .assign, .creditReview:
            // Only limits and write-offs have requests: anything else is a note a manager reads.
            return Phrase("collectors cannot change holds, grades, terms, statuses or assignments; leave a note for a manager (ardesk note, n in the workstation)",
                          zh: "催收员不能修改冻结、等级、账期、状态或分配；请留备注给信用经理（ardesk note，工作台中按 n）")
        case .writeOff: return Phrase("collectors cannot write off; use a write-off request for a manager to approve", zh: "催收员不能核销坏账；请提交核销申请由信用经理审批")
        case .reinstateWriteOff: return Phrase("only a manager can reinstate a write-off; leave a note for a manager (ardesk note, n in the workstation)",
                                               zh: "只有信用经理可以转回已核销的坏账；请留备注给信用经理（ardesk note，工作台中按 n）")
        case .decide: return Phrase("only a manager can approve or reject requests", zh: "只有信用经理可以批准或驳回申请")
        case .waiveCharge: return Phrase("only a manager can waive fees and interest", zh: "只有信用经理可以减免费用及利息")
        case .reviewLostRecords: return Phrase("only a manager can mark lost records as dealt with", zh: "只有信用经理可以确认已处理丢失的记录")
        case .addCustomers, .issueInvoices, .recordPayments, .pay, .reversePayment, .creditNote, .applyCredit, .withdrawCredit, .batch:
            return Phrase("only a manager can import or post customers, documents or payments", zh: "只有信用经理可以导入或录入客户、单据或回款")
        }
    }
}
