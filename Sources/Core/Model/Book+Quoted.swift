/// Who a caller is, from what they quote on an inbound call: the number of a document (an
/// invoice, a payment's reference, a credit note), their own reference on an invoice (a PO), or
/// a contact's phone, email or name.
public struct QuotedMatch: Equatable, Sendable {
    public enum Via: Equatable, Sendable {
        case invoice(String), payment(String), creditNote(String)
        /// The customer's own reference on an invoice (its purchase order), with the invoice.
        case reference(String, invoice: String)
        /// A contact found by their phone, email or name (the contact's name, possibly empty).
        case contact(String)
    }
    public let customers: [CustomerID]
    public let via: Via
}

extension Book {
    /// The customers `text` leads to, and by what; nil when it leads nowhere. Document numbers
    /// first, as typed and then in capitals (an invoice read out in lower case); then contacts,
    /// a phone by its digits (spaces, dashes, a trunk 0 and a country code aside: six or more
    /// digits, the end of the number); then the customers' own references on invoices, in any
    /// case, which takes a look through every invoice (a command, not a keystroke).
    public func customers(quoting text: String) -> QuotedMatch? {
        let text = text.trimmingSpaces
        guard !text.isEmpty else { return nil }
        for number in [text, text.uppercased()] {
            if let invoice = invoices[number] { return QuotedMatch(customers: [invoice.customer], via: .invoice(number)) }
            if let payment = payments[number] { return QuotedMatch(customers: [payment.customer], via: .payment(number)) }
            if let note = creditNotes[number] { return QuotedMatch(customers: [note.customer], via: .creditNote(number)) }
        }
        let digits = Book.dialled(text)
        let isPhone = digits.count >= 6 && text.allSatisfy { $0.isASCII && ($0.isNumber || " -+()./".contains($0)) }
        let lowered = text.lowercased()
        var byContact: [CustomerID] = []
        var contactName = ""
        for ledger in ledgers {
            let found = ledger.customer.contacts.first { contact in
                isPhone ? Book.samePhone(Book.dialled(contact.phone), digits)
                    : (!contact.email.isEmpty && contact.email.lowercased() == lowered) || (!contact.name.isEmpty && contact.name.lowercased() == lowered)
            }
            if let found { byContact.append(ledger.customer.id); contactName = found.name }
        }
        if !byContact.isEmpty { return QuotedMatch(customers: byContact, via: .contact(byContact.count == 1 ? contactName : "")) }
        var byReference: [CustomerID] = []
        var invoice = "", written = text
        let reference = text.uppercased()
        // Lengths first: most of a million references are told apart without a string made.
        for found in invoiceList where found.reference.utf8.count == reference.utf8.count && found.reference.uppercased() == reference
            && !byReference.contains(found.customer) {
            byReference.append(found.customer)
            (invoice, written) = (found.number, found.reference)  // as the invoice has it, not as typed
        }
        return byReference.isEmpty ? nil : QuotedMatch(customers: byReference, via: .reference(written, invoice: invoice))
    }

    /// A phone's digits, the zeros it may start with left out (a trunk 0, 00 before a country code).
    static func dialled(_ phone: String) -> String {
        String(phone.filter { $0.isASCII && $0.isNumber }.drop { $0 == "0" })
    }

    /// The same phone written two ways: one's digits end the other's (a country or area code
    /// said or not), six or more of them.
    static func samePhone(_ a: String, _ b: String) -> Bool {
        min(a.count, b.count) >= 6 && (a.hasSuffix(b) || b.hasSuffix(a))
    }
}
