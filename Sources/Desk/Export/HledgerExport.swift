import Core

/// Writes the book as a plain-text accounting journal that hledger and ledger-cli read:
/// invoices, payments, credit notes and write-offs, with one receivable sub-account per customer.
/// Unapplied cash and credits sit in their own accounts, so `assets:receivable` always equals the
/// open items of the aging report; fees and interest billed are `assets:charges-receivable`, apart
/// from the principal as in the book.
public struct HledgerExport {
    public let book: Book
    public let asOf: Day

    public init(book: Book, asOf: Day) { self.book = book; self.asOf = asOf }

    struct Entry { var day: Day; var order: Int; var text: String }

    public func render() -> String {
        var entries: [Entry] = []
        let currency = book.currency
        func amount(_ money: Money) -> String { "\(currency.code) \(currency.format(money))" }
        func receivable(_ id: CustomerID) -> String { "assets:receivable:\(account(id))" }
        func chargesReceivable(_ id: CustomerID) -> String { "assets:charges-receivable:\(account(id))" }
        func posting(_ account: String, _ money: Money) -> String { "    \(account)  \(amount(money))" }
        func name(_ id: CustomerID) -> String { clean(book.customers[id]?.name ?? id) }
        /// A transaction of two postings, `money` to `debit` and back from `credit`, under `title` on `day`.
        func transfer(_ day: Day, _ order: Int, _ title: String, _ money: Money, to debit: String, from credit: String) {
            entries.append(Entry(day: day, order: order, text: ["\(day.iso) * \(title)", posting(debit, money), posting(credit, -money)].joined(separator: "\n")))
        }

        for (order, invoice) in book.invoices.all.sorted(by: { $0.number < $1.number }).enumerated() {
            let number = invoice.number
            guard invoice.issued <= asOf else { continue }
            transfer(invoice.issued, order, "Invoice \(clean(number)) | \(name(invoice.customer))", invoice.amount,
                     to: receivable(invoice.customer), from: "revenue:sales")
        }
        for (order, payment) in book.payments.all.sorted(by: { $0.reference < $1.reference }).enumerated() {
            let reference = payment.reference
            guard payment.day <= asOf else { continue }
            var lines = ["\(payment.day.iso) * Payment \(clean(reference)) | \(name(payment.customer))",
                         posting("assets:bank", payment.amount)]
            if payment.allocated.isPositive { lines.append(posting(receivable(payment.customer), -payment.allocated)) }
            if payment.chargesPaid.isPositive { lines.append(posting(chargesReceivable(payment.customer), -payment.chargesPaid)) }
            if payment.unapplied.isPositive {
                lines.append(posting("liabilities:unapplied-cash:\(account(payment.customer))", -payment.unapplied))
            }
            entries.append(Entry(day: payment.day, order: 1_000_000 + order, text: lines.joined(separator: "\n")))
            // A reversal takes back every posting of the payment, on its own day.
            if let reversal = book.reversal(of: reference, asOf: asOf) {
                var back = ["\(reversal.day.iso) * Reversal of payment \(clean(reference)) | \(name(payment.customer)) ; \(clean(reversal.reason))",
                            posting("assets:bank", -payment.amount)]
                // Its credit applied to invoices (on or before the reversal) is owed on them again.
                let applied = book.creditApplied(from: .payment(reference), asOf: reversal.day)
                if (payment.allocated + applied).isPositive { back.append(posting(receivable(payment.customer), payment.allocated + applied)) }
                if payment.chargesPaid.isPositive { back.append(posting(chargesReceivable(payment.customer), payment.chargesPaid)) }
                if (payment.unapplied - applied).isPositive {
                    back.append(posting("liabilities:unapplied-cash:\(account(payment.customer))", payment.unapplied - applied))
                }
                entries.append(Entry(day: reversal.day, order: 1_500_000 + order, text: back.joined(separator: "\n")))
            }
        }
        for (order, number) in book.creditNotes.keys.sorted().enumerated() {
            let note = book.creditNotes[number]!
            guard note.day <= asOf else { continue }
            let credited = note.invoice == nil ? "liabilities:customer-credit:\(account(note.customer))" : receivable(note.customer)
            transfer(note.day, 2_000_000 + order, "Credit note \(clean(number)) | \(name(note.customer))", note.amount,
                     to: "revenue:returns", from: credited)
        }
        for (order, id) in book.writeOffs.keys.sorted().enumerated() {
            let writeOff = book.writeOffs[id]!
            guard writeOff.day <= asOf else { continue }
            transfer(writeOff.day, 3_000_000 + order, "Write-off \(clean(id)) | \(name(writeOff.customer)) ; \(clean(writeOff.reason))", writeOff.amount,
                     to: "expenses:bad-debts", from: receivable(writeOff.customer))
            // Reinstated: the debt is the customer's again and no longer an expense, from its day.
            if let back = writeOff.reinstatement(asOf: asOf) {
                transfer(back.day, 6_000_000 + order, "Reinstated write-off \(clean(id)) | \(name(writeOff.customer)) ; \(clean(back.reason))",
                         writeOff.amount, to: receivable(writeOff.customer), from: "expenses:bad-debts")
            }
        }
        // Credit set against invoices leaves the account it sat in for the customer's receivable.
        for (order, id) in book.creditApplications.keys.sorted().enumerated() {
            let application = book.creditApplications[id]!
            guard application.day <= asOf else { continue }
            let credit: String
            switch application.source {
            case .payment: credit = "liabilities:unapplied-cash:\(account(application.customer))"
            case .creditNote: credit = "liabilities:customer-credit:\(account(application.customer))"
            }
            transfer(application.day, 3_500_000 + order, "Credit applied \(clean(id)) from \(clean(application.source.number)) | \(name(application.customer))", application.amount,
                     to: credit, from: receivable(application.customer))
            // Taken back: the same postings the other way, on the day of the withdrawal.
            if let withdrawn = application.withdrawn, withdrawn.day <= asOf {
                transfer(withdrawn.day, 3_600_000 + order, "Credit application \(clean(id)) withdrawn | \(name(application.customer)) ; \(clean(withdrawn.reason))", application.amount,
                         to: receivable(application.customer), from: credit)
            }
        }
        for (order, charge) in book.charges.enumerated() where charge.day <= asOf {
            let revenue: String
            switch charge.kind {
            case .fee: revenue = "revenue:late-fees"
            case .interest: revenue = "revenue:late-interest"
            }
            transfer(charge.day, 4_000_000 + order, "Charge \(clean(charge.id)) | \(name(charge.customer))", charge.amount,
                     to: chargesReceivable(charge.customer), from: revenue)
            for settlement in charge.settlements where settlement.day <= asOf {
                guard case .waiver(let reason, _) = settlement.source else { continue }  // payments are in their own entries
                transfer(settlement.day, 5_000_000 + order, "Waiver of \(clean(charge.id)) | \(name(charge.customer)) ; \(clean(reason))", settlement.amount,
                         to: "expenses:charges-waived", from: chargesReceivable(charge.customer))
            }
        }
        entries.sort { ($0.day, $0.order) < ($1.day, $1.order) }
        let header = "; ardesk export of a \(currency.code) book as of \(asOf.iso)\n"
            + "commodity \(currency.code) 1,000.\(String(repeating: "0", count: currency.minorDigits))\n\n"
        return header + entries.map(\.text).joined(separator: "\n\n") + "\n"
    }

    /// An id as one account segment: a colon (the separator), a semicolon (a comment), spaces,
    /// tabs and other controls (which end an account) and "%" itself are written as %XX, so that
    /// two ids never share an account (`K:L` and `K_L` did) and ledger-cli reads every one.
    func account(_ id: String) -> String {
        var out = ""
        for scalar in id.unicodeScalars {
            if scalar == ":" || scalar == ";" || scalar == "%" || scalar.properties.isWhitespace || scalar.value < 0x20 || scalar.value == 0x7F {
                for byte in String(scalar).utf8 { out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Descriptions end at a newline or a comment mark.
    func clean(_ text: String) -> String {
        // `isNewline`, not "\n": a CR LF typed on a command line is one Character that equals neither.
        String(text.map { $0.isNewline || $0 == ";" || $0 == "|" ? " " : $0 })
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

private func < (a: (Day, Int), b: (Day, Int)) -> Bool { a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }
