import Core
import Foundation

extension Desk {
    /// `command` with the id it names as the book spells it: one typed in another case or in
    /// full width (pay3877, d3919-1, ｗｏ12) is the one id equal to it so. An id no document
    /// has, or that two have so, is left as typed, for the refusal to name.
    func spelledAsTheBook(_ command: Command) -> Command {
        let book = self.book  // once: each `self.book` is a copy
        switch command {
        case .resolveDispute(let id, let note):
            return .resolveDispute(id: Desk.spelled(id, among: book.disputes.keys) { book.disputes[$0] != nil }, note: note)
        case .reversePayment(let reference, let on, let reason, let cause):
            let spelled = Desk.spelled(reference, among: book.payments.all.lazy.map(\.reference)) { book.payments[$0] != nil }
            return .reversePayment(reference: spelled, on: on, reason: reason, cause: cause)
        case .withdrawCredit(let id, let on, let reason):
            return .withdrawCredit(id: Desk.spelled(id, among: book.creditApplications.keys) { book.creditApplications[$0] != nil }, on: on, reason: reason)
        case .reinstateWriteOff(let id, let on, let reason):
            return .reinstateWriteOff(id: Desk.spelled(id, among: book.writeOffs.keys) { book.writeOffs[$0] != nil }, on: on, reason: reason)
        case .waiveCharge(let id, let reason):
            return .waiveCharge(id: Desk.spelled(id, among: book.charges.lazy.map(\.id)) { book.charge($0) != nil }, reason: reason)
        default:
            return command
        }
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
