public typealias CustomerID = String

public enum RiskGrade: String, CaseIterable, Sendable, Comparable {
    case a = "A", b = "B", c = "C", d = "D", e = "E"
    public static func < (x: RiskGrade, y: RiskGrade) -> Bool { x.rawValue < y.rawValue }
}

public enum CustomerStatus: String, CaseIterable, Sendable {
    case active, onHold = "hold", legal, agency, closed
}

public struct ContactPerson: Equatable, Sendable {
    public var name: String
    public var phone: String
    public var email: String
    public init(name: String = "", phone: String = "", email: String = "") {
        self.name = name; self.phone = phone; self.email = email
    }
    /// Name, phone and email as one line, the empty ones left out.
    public var summary: String { [name, phone, email].filter { !$0.isEmpty }.joined(separator: " · ") }
}

/// What a customer is, as opposed to what it owes (the documents) or what was done (activities).
public struct Customer: Equatable, Sendable {
    public var id: CustomerID
    public var name: String
    public var contacts: [ContactPerson]
    public var termsDays: Int
    public var creditLimit: Money
    public var grade: RiskGrade?
    public var collector: String?
    public var status: CustomerStatus
    public var guarantees: String
    public var nextReview: Day?
    public var holdReason: String?

    public init(id: CustomerID, name: String, contacts: [ContactPerson] = [], termsDays: Int = 30,
                creditLimit: Money = .zero, grade: RiskGrade? = nil, collector: String? = nil,
                status: CustomerStatus = .active, guarantees: String = "", nextReview: Day? = nil) {
        self.id = id; self.name = name; self.contacts = contacts; self.termsDays = termsDays
        self.creditLimit = creditLimit; self.grade = grade; self.collector = collector
        self.status = status; self.guarantees = guarantees; self.nextReview = nextReview
    }
}
