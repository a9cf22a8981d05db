import Core

/// A customers file's rows: new customers, and those in the book already (the same, completed
/// when made up by --create-customers, or changed with --update).
extension Importer {
    func customerEvents(_ row: inout Row, book: Book, plan: inout Plan) -> [Event] {
        let id = row.required("id")
        let existing = id.flatMap { book.customers[$0] }
        // Updating, an empty name keeps the book's, as any other empty cell does.
        let name = options.updateCustomers && existing != nil && row.text("name").isEmpty ? existing?.name : row.required("name")
        var customer = Customer(id: id ?? "", name: name ?? "")
        customer.termsDays = row.integer("terms_days", default: 30, range: 0...3650)
        customer.creditLimit = row.money("credit_limit") ?? .zero
        if customer.creditLimit.isNegative { row.fail("credit_limit", "a credit limit cannot be below zero") }
        row.checkCurrency()
        let contact = ContactPerson(name: row.text("contact"), phone: row.text("phone").halfWidth, email: row.text("email").halfWidth)
        // As the contact form refuses them: a number no one can dial, an address no mail reaches.
        if let problem = ContactCheck.phoneProblem(contact.phone) { row.fail("phone", problem.english) }
        if let problem = ContactCheck.emailProblem(contact.email) { row.fail("email", problem.english) }
        if contact != ContactPerson() { customer.contacts = [contact] }
        let collector = row.text("collector")
        customer.collector = collector.isEmpty ? nil : collector
        // As `assign` refuses one: a collector is a user of the book, when it lists its users.
        if !collector.isEmpty, let roles = options.roles, roles.role(of: collector) == nil {
            row.fail("collector", roles.notAUser(collector).english)
        }
        let grade = row.text("grade").uppercased()
        if !grade.isEmpty {
            if let g = RiskGrade(rawValue: grade) { customer.grade = g } else { row.fail("grade", "\"\(grade)\" is not a grade A to E") }
        }
        guard let id, row.issues.isEmpty else { return [] }
        if let existing {
            // Only what the file says is compared, field by field (a cell left empty says nothing
            // of its field): a review date or a hold set in ardesk since the first import is not
            // "other details".
            let changes = Importer.updates(of: existing, by: customer, given: row.givenFields)
            if changes.isEmpty { plan.alreadyInBook.append(id); return [] }
            // One made by --create-customers (its name is its id) is completed by the file: what
            // the file gives replaces what was made up for it. With --update, any customer is.
            let madeUp = existing.name == existing.id
            guard madeUp || options.updateCustomers else {
                let said = changes.map { Importer.changeText($0, of: existing, currency: book.currency) }.joined(separator: "; ")
                row.fail("id", "customer \"\(id)\" is already in the book with other details: \(said) (--update takes the file's)")
                return []
            }
            if !madeUp { plan.updatedCustomers.append(id) }
            let reason = madeUp ? "completed by a customers import" : "updated by a customers import"
            return changes.map { .profileChanged(id, $0, reason: reason) }
        }
        return [.customerAdded(customer)]
    }

    /// The changes that give a customer in the book what a customers file says of it: each field
    /// whose cell is not empty (an empty cell keeps what the book has, so a file without grades or
    /// collectors does not clear them). The file's contact is the first one, taking the cells it
    /// fills; others added in ardesk stay.
    static func updates(of existing: Customer, by file: Customer, given: Set<String>) -> [ProfileChange] {
        var changes: [ProfileChange] = [.name(file.name)]
        if given.contains("terms_days") { changes.append(.terms(file.termsDays)) }
        if given.contains("credit_limit") { changes.append(.creditLimit(file.creditLimit)) }
        if given.contains("collector") { changes.append(.collector(file.collector)) }
        if let grade = file.grade { changes.append(.grade(grade)) }
        if let contact = file.contacts.first {  // field by field: an empty email cell keeps the email
            let kept = existing.contacts.first ?? ContactPerson()
            let merged = ContactPerson(name: contact.name.isEmpty ? kept.name : contact.name,
                                       phone: contact.phone.isEmpty ? kept.phone : contact.phone,
                                       email: contact.email.isEmpty ? kept.email : contact.email)
            changes.append(.contacts([merged] + existing.contacts.dropFirst()))
        }
        return changes.filter { !$0.leaves(existing) }
    }

    /// What an update changes of a customer, old value to new, for the manager to read before and
    /// after (a master file exported before a change made in ardesk would quietly take it back).
    public static func changeText(_ change: ProfileChange, of customer: Customer, currency: Currency) -> String {
        let money = { (m: Money) in m.isPositive ? currency.format(m, grouping: ",") : "none" }
        let contact = { (c: ContactPerson?) in c?.summary ?? "none" }
        switch change {
        case .name(let name): return "name \(customer.name) → \(name)"
        case .terms(let days): return "terms \(customer.termsDays) → \(days) days"
        case .creditLimit(let limit): return "credit limit \(money(customer.creditLimit)) → \(money(limit))"
        case .collector(let collector): return "collector \(customer.collector ?? "none") → \(collector ?? "none")"
        case .grade(let grade): return "grade \(customer.grade?.rawValue ?? "none") → \(grade.rawValue)"
        case .contacts(let contacts): return "contact \(contact(customer.contacts.first)) → \(contact(contacts.first))"
        case .status(let status): return "status \(customer.status.rawValue) → \(status.rawValue)"
        case .nextReview(let day): return "next review \(customer.nextReview?.iso ?? "none") → \(day?.iso ?? "none")"
        case .hold: return "credit hold"
        case .release: return "hold released"
        }
    }
}
