/// Why an event cannot be applied to a book. Desk validates commands before they become events, so
/// on replay one of these means the log says something impossible (a damaged or foreign book).
public enum BookError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownCustomer(CustomerID)
    case duplicateCustomer(CustomerID)
    case unknownInvoice(String)
    case duplicateDocument(String)
    /// `currency` is the book's, for the message.
    case overAllocated(invoice: String, open: Money, allocated: Money, currency: Currency = .cny)
    case unknownDispute(String)
    case unknownRequest(String)
    case requestAlreadyDecided(String)
    case nothingToUndo(UInt64)
    case wrongCustomer(document: String, customer: CustomerID)
    case invalid(String)

    public var description: String {
        switch self {
        case .unknownCustomer(let id): return "no customer \"\(id)\" in this book"
        case .duplicateCustomer(let id): return "customer \"\(id)\" already exists"
        case .unknownInvoice(let n): return "no invoice \"\(n)\" in this book"
        case .duplicateDocument(let n): return "document number \"\(n)\" is already in the book"
        case .overAllocated(let n, let open, let allocated, let currency):
            return "invoice \"\(n)\" has \(currency.format(open, grouping: ",")) open but \(currency.format(allocated, grouping: ",")) would be applied to it"
        case .unknownDispute(let id): return "no dispute \"\(id)\""
        case .unknownRequest(let id): return "no request \"\(id)\""
        case .requestAlreadyDecided(let id): return "request \"\(id)\" was already decided"
        case .nothingToUndo(let seq): return "record \(seq) is not an action that can be undone"
        case .wrongCustomer(let doc, let c): return "document \"\(doc)\" does not belong to customer \"\(c)\""
        case .invalid(let why): return why
        }
    }
}
