/// Folding a write-off's reinstatement (`Event.writeOffReinstated`).
extension Book {
    /// Takes back the write-off `id` from `day`: what it settled is owed again from then (see
    /// `takeBack`), as credit withdrawn is.
    mutating func reinstateWriteOff(_ id: String, of customer: CustomerID, on day: Day, reason: String, stamp: Stamp) throws {
        let ledger = try ledgerIndex(customer)
        guard let writeOff = writeOffs[id], writeOff.customer == customer else {
            throw BookError.invalid("no write-off \"\(id)\" of \(customer)")
        }
        if let reinstated = writeOff.reinstated { throw BookError.invalid("write-off \"\(id)\" was reinstated on \(reinstated.day)") }
        guard day >= writeOff.day else {
            throw BookError.invalid("write-off \"\(id)\" is of \(writeOff.day): it cannot be reinstated on \(day), before it")
        }
        try takeBack(writeOff.allocations, source: .writeOff(id), ledger: ledger, on: day)
        writeOffs[id]?.reinstated = Reinstatement(day: day, reason: reason, by: stamp.author, record: stamp.sequence)
    }

    /// A customer's write-offs standing on `day`: made by then and not reinstated by then.
    public func writeOffsStanding(of customer: CustomerID, asOf day: Day) -> [WriteOff] {
        writeOffs(of: customer).filter { $0.day <= day && $0.reinstatement(asOf: day) == nil }
    }
}
