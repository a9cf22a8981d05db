import Core
import Foundation

extension Desk {
    /// `command` with the id it names as the book spells it: one typed in another case or in
    /// full width (pay3877, d3919-1, ｗｏ12) is the one id equal to it so. An id no document
    /// has, or that two have so, is left as typed, for the refusal to name.
    func spelledAsTheBook(_ command: Command) -> Command {
        switch command {
        case .resolveDispute(let id, let note): return .resolveDispute(id: spelledDispute(id), note: note)
        case .reversePayment(let reference, let on, let reason, let cause):
            return .reversePayment(reference: spelledPayment(reference), on: on, reason: reason, cause: cause)
        case .withdrawCredit(let id, let on, let reason): return .withdrawCredit(id: spelledCreditApplication(id), on: on, reason: reason)
        case .reinstateWriteOff(let id, let on, let reason):
            let book = self.book  // once: each `self.book` is a copy
            return .reinstateWriteOff(id: Desk.spelled(id, among: book.writeOffs.keys) { book.writeOffs[$0] != nil }, on: on, reason: reason)
        case .waiveCharge(let id, let reason):
            let book = self.book
            return .waiveCharge(id: Desk.spelled(id, among: book.charges.lazy.map(\.id)) { book.charge($0) != nil }, reason: reason)
        default:
            return command
        }
    }

    /// A dispute's id as the book spells it (see `spelledAsTheBook`).
    public func spelledDispute(_ typed: String) -> String {
        let book = self.book
        return Desk.spelled(typed, among: book.disputes.keys) { book.disputes[$0] != nil }
    }

    /// A payment's reference as the book spells it.
    public func spelledPayment(_ typed: String) -> String {
        let book = self.book
        return Desk.spelled(typed, among: book.payments.all.lazy.map(\.reference)) { book.payments[$0] != nil }
    }

    /// A credit application's id as the book spells it.
    public func spelledCreditApplication(_ typed: String) -> String {
        let book = self.book
        return Desk.spelled(typed, among: book.creditApplications.keys) { book.creditApplications[$0] != nil }
    }

    /// `typed` as it is when `exists`, else the one of `ids` equal to it ignoring case and width.
    static func spelled(_ typed: String, among ids: some Sequence<String>, exists: (String) -> Bool) -> String {
        if exists(typed) { return typed }
        let plain = typed.halfWidth.trimmingCharacters(in: .whitespaces)
        if exists(plain) { return plain }
        var found: String?
        for id in ids where id.caseInsensitiveCompare(plain) == .orderedSame {
            guard found == nil else { return typed }  // two: which one is not for us to guess
            found = id
        }
        return found ?? typed
    }
}
