/// What a cell means, not how it looks: themes map roles to colours and attributes.
public enum Role: String, CaseIterable, Sendable {
    case normal, title, header, selection, overdue, warning, ok, muted, border, status, key, input, error, readOnly
}
