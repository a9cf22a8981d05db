import Foundation

/// A column of an imported file that no field reads, and the field it may have been meant for.
public struct UnreadColumn: Sendable, Equatable {
    public var name: String
    /// A field the file has no column for, spelled nearly as this column is.
    public var likelyField: String?
}

/// Which column of a file holds which field.
extension Importer {
    /// Maps each canonical field to a column index; refuses a file missing a required column.
    /// A column is a field's when `--map` names it for the field, or its header is the field's
    /// name in any case, or failing that the same letters and digits ("Due Date", "due-date" and
    /// "DueDate" are due_date: how other systems export it).
    func resolveColumns(_ table: CSVTable) throws -> [String: Int] {
        var result: [String: Int] = [:]
        var missing: [String] = []
        let mapped = Set(options.columnForField.values.map { $0.lowercased() })
        for field in kind.fields {
            let wanted = options.columnForField[field.name] ?? field.name
            var matching = table.header.indices.filter { table.header[$0].caseInsensitiveCompare(wanted) == .orderedSame }
            if matching.count > 1 {  // which one holds the field cannot be guessed
                throw DeskError.invalid("\(table.file):\(table.headerLine): the header has column \"\(wanted)\" \(matching.count) times (columns \(matching.map { String($0 + 1) }.joined(separator: ", "))); rename all but one")
            }
            if matching.isEmpty && options.columnForField[field.name] == nil {
                matching = table.header.indices.filter {
                    Importer.plain(table.header[$0]) == Importer.plain(wanted) && !mapped.contains(table.header[$0].lowercased())
                }
                if matching.count > 1 {
                    let names = matching.map { "\"\(table.header[$0])\" (column \($0 + 1))" }.joined(separator: " and ")
                    throw DeskError.invalid("\(table.file):\(table.headerLine): columns \(names) \(matching.count == 2 ? "both" : "all") read as \(field.name); rename one, or name one with --map COLUMN=\(field.name)")
                }
            }
            if let index = matching.first {
                result[field.name] = index
            } else if options.columnForField[field.name] != nil {
                throw DeskError.invalid("\(table.file):\(table.headerLine): --map names column \"\(wanted)\" but the header has no such column (it has: \(table.header.joined(separator: ", ")))")
            } else if field.required {
                missing.append(field.name)
            }
        }
        guard missing.isEmpty else {
            // Each column guessed for one field at most (`Customer Number` is not both).
            var free = table.header.indices.filter { !Set(result.values).contains($0) }.map { table.header[$0] }
            let guesses = missing.compactMap { field -> String? in
                guard let column = Importer.likelyColumn(for: field, in: free) else { return nil }
                free.removeAll { $0 == column }
                return "--map \"\(column)=\(field)\""
            }
            let advice = guesses.isEmpty ? "rename it or use --map COLUMN=FIELD" : "perhaps \(guesses.joined(separator: " "))"
            throw DeskError.invalid("\(table.file):\(table.headerLine): missing required column\(missing.count > 1 ? "s" : "") \(missing.map { "\"\($0)\"" }.joined(separator: ", ")) (the header has: \(table.header.joined(separator: ", "))); \(advice)")
        }
        return result
    }

    /// The column of `columns` a required field may be under: spelled within two letters of it
    /// (`custmer`), holding its name (`customerID`, `invoiceNumber`), or a name other systems
    /// give it (`InvoiceDate` for issue_date).
    static func likelyColumn(for field: String, in columns: [String]) -> String? {
        let target = plain(field)
        // Surest first: a name other systems use, then one holding the field's, then a slip of
        // the pen (one letter in a short name, two in a longer one: `Note` is not `date`).
        return columns.first { otherNames[field]?.contains(plain($0)) == true }
            ?? columns.first { plain($0).count > target.count && target.count >= 4 && plain($0).contains(target) }
            ?? columns.first {
                let name = plain($0), slips = min(name.count, target.count) < 6 ? 1 : 2
                return min(name.count, target.count) >= 4 && editDistance(name, target, atMost: slips) <= slips
            }
    }

    /// What other systems' exports call a required field, letters and digits only, in English
    /// and as Chinese accounting systems head their columns.
    static let otherNames: [String: Set<String>] = [
        "issue_date": ["invoicedate", "documentdate", "docdate", "postingdate", "billdate", "date",
                       "开票日期", "发票日期", "单据日期", "日期"],
        "date": ["paymentdate", "paiddate", "receiptdate", "valuedate", "settleddate", "付款日期", "收款日期", "回款日期", "到账日期", "日期"],
        "customer": ["account", "accountno", "client", "debtor", "custno", "客户", "客户编号", "客户代码", "客户编码"],
        "number": ["invoice", "invoiceno", "docno", "document", "发票号", "发票号码", "发票编号", "单号", "单据编号", "编号"],
        "reference": ["paymentref", "ref", "receiptno", "回款编号", "收款单号", "流水号", "银行流水号", "参考号"],
        "amount": ["金额", "发票金额", "价税合计", "回款金额", "收款金额", "贷项金额"],
        "id": ["客户编号", "客户代码", "客户编码", "编号"],
        "name": ["客户名称", "名称", "公司名称"],
    ]

    /// The header's columns no field reads, each with a field it is spelled nearly as (within two
    /// letters) among those the file has no column for.
    func unreadColumns(_ header: [String], read columns: [String: Int]) -> [UnreadColumn] {
        let used = Set(columns.values)
        let absent = kind.fields.map(\.name).filter { columns[$0] == nil }
        return header.indices.filter { !used.contains($0) && !header[$0].isEmpty }.map { index in
            let name = Importer.plain(header[index])
            let likely = absent.first { field in
                let target = Importer.plain(field)
                return min(name.count, target.count) >= 4 && Importer.editDistance(name, target, atMost: 2) <= 2
            }
            return UnreadColumn(name: header[index], likelyField: likely)
        }
    }

    /// The columns read as a field by their letters and digits, not by the field's own name or
    /// `--map`, in the header's order.
    func columnsReadByPlainName(_ header: [String], read columns: [String: Int]) -> [(column: String, field: String)] {
        columns.filter { field, index in
            options.columnForField[field] == nil && header[index].caseInsensitiveCompare(field) != .orderedSame
        }.sorted { $0.value < $1.value }.map { (column: header[$0.value], field: $0.key) }
    }

    /// A header reduced to its letters and digits, in lower case.
    static func plain(_ name: String) -> String {
        String(name.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// Letters to add, drop or change to turn `a` into `b`, counted up to `limit + 1`.
    static func editDistance(_ a: String, _ b: String, atMost limit: Int) -> Int {
        let a = Array(a), b = Array(b)
        guard abs(a.count - b.count) <= limit else { return limit + 1 }
        guard !a.isEmpty else { return min(b.count, limit + 1) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in stride(from: 1, through: b.count, by: 1) {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return min(previous[b.count], limit + 1)
    }
}
