import Core
import Foundation

/// What went wrong, in one sentence a collector can act on, in English and, for what the
/// workstation can meet, in Simplified Chinese too.
public enum DeskError: Error, CustomStringConvertible, Sendable {
    case noBook(String)
    /// No journal.log, but what only a book's journal leaves is there (`trace`, a file's name).
    case journalMissing(String, trace: String)
    /// A folder this user may not read into (a team's book, before they are in its group).
    case noPermission(String, group: String?)
    /// `--book` named a file (a journal, a CSV) instead of the folder a book lives in.
    case notAFolder(String)
    case bookExists(String)
    case readOnly(String)
    case refused(Phrase)
    case invalid(Phrase)
    case notAllowed(Phrase)
    case replay(sequence: UInt64, line: Int, reason: String)

    public var description: String { text(chinese: false) }

    /// The sentence in Chinese when it has been written in Chinese, else in English.
    public func text(chinese: Bool) -> String {
        switch self {
        case .noBook(let path):
            return chinese ? "\(path) 没有账簿；用 `ardesk init --book \(path)` 或 `ardesk demo --book \(path)` 创建"
                : "no book at \(path); create one with `ardesk init --book \(path)` or `ardesk demo --book \(path)`"
        case .journalMissing(let path, let trace):
            return chinese ? "\(path) 中没有 journal.log，但有账簿留下的 \(trace)：日志被移走或删除了；请从备份恢复 journal.log（如确要在此新建账簿，请先移走 \(trace)）"
                : "\(path) has no journal.log, yet the \(trace) a book's journal leaves is there: its log was moved or deleted; "
                + "put journal.log back from a backup (a new book made here would hide that the old one is gone; to start one here on purpose, move \(trace) away first)"
        case .noPermission(let path, let group):
            let ask = group.map { chinese ? "请其所有者把你加入 \($0) 组" : "ask its owner to add you to the group \($0)" }
                ?? (chinese ? "请其所有者给你权限" : "ask its owner for access")
            return chinese ? "无权读取 \(path) 中的账簿；\(ask)" : "no permission to read the book at \(path); \(ask)"
        case .notAFolder(let path):
            return chinese ? "\(path) 是文件而不是账簿文件夹；--book 应指向包含 journal.log 的文件夹"
                : "\(path) is a file, not a book: --book names the folder that holds journal.log"
        case .bookExists(let path): return chinese ? "\(path) 已有账簿" : "a book already exists at \(path)"
        case .readOnly(let why):
            return chinese ? "本账簿为只读（\(why)），未保存任何内容" : "this book is open read-only (\(why)); nothing was saved"
        case .refused(let why), .invalid(let why), .notAllowed(let why): return why.text(chinese: chinese)
        case .replay(let seq, let line, let reason):
            return chinese ? "日志第 \(seq) 条记录（第 \(line) 行）无法应用：\(reason)"
                : "journal record \(seq) (line \(line)) cannot be applied: \(reason)"
        }
    }
}

/// A sentence in English and, where written, in Simplified Chinese. A string literal or
/// interpolation is the English alone (messages only the command line shows).
public struct Phrase: Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    public let english: String
    public let chinese: String?

    public init(_ english: String, zh chinese: String? = nil) {
        self.english = english
        self.chinese = chinese
    }

    public init(stringLiteral value: String) { self.init(value) }
    public init(stringInterpolation: DefaultStringInterpolation) { self.init(String(stringInterpolation: stringInterpolation)) }

    public var description: String { english }
    public func text(chinese wanted: Bool) -> String { wanted ? chinese ?? english : english }
}

extension BookError {
    /// The book's refusals in Chinese (a workstation in Chinese shows these).
    public var chinese: String {
        switch self {
        case .unknownCustomer(let id): return "账簿中没有客户“\(id)”"
        case .duplicateCustomer(let id): return "客户“\(id)”已存在"
        case .unknownInvoice(let n): return "账簿中没有发票“\(n)”"
        case .duplicateDocument(let n): return "单据编号“\(n)”已在账簿中"
        case .overAllocated(let n, let open, let allocated, let currency):
            return "“\(n)”未结 \(currency.format(open, grouping: ","))，不能核销 \(currency.format(allocated, grouping: ","))"
        case .unknownDispute(let id): return "没有争议“\(id)”"
        case .unknownRequest(let id): return "没有申请“\(id)”"
        case .requestAlreadyDecided(let id): return "申请“\(id)”已处理"
        case .nothingToUndo(let seq): return "记录 \(seq) 不是可撤销的操作"
        case .wrongCustomer(let doc, let c): return "单据“\(doc)”不属于客户“\(c)”"
        case .invalid(let why): return why
        }
    }
}

extension DeskError {
    /// The system's reason for a failed file operation, without Foundation's dump of its user info.
    public static func systemReason(_ error: Error) -> String {
        let error = error as NSError
        let unknown = "no such folder, or no permission to write there"
        if error.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(error.code))) }
        let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError
        if let code = underlying?.code, underlying?.domain == NSPOSIXErrorDomain { return String(cString: strerror(Int32(code))) }
        // Foundation's own codes when it gives no system error (a full disk is not a missing folder).
        guard error.domain == NSCocoaErrorDomain else { return unknown }
        switch CocoaError.Code(rawValue: error.code) {
        case .fileWriteOutOfSpace: return String(cString: strerror(ENOSPC))
        case .fileWriteVolumeReadOnly: return String(cString: strerror(EROFS))
        case .fileWriteNoPermission, .fileReadNoPermission: return String(cString: strerror(EACCES))
        case .fileNoSuchFile, .fileReadNoSuchFile: return String(cString: strerror(ENOENT))
        default: return unknown
        }
    }
}
