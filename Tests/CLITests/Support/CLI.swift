import Foundation

/// Runs the built `ardesk` binary as a user would, in a temporary book folder.
struct CLI {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// `$ARDESK_BIN`, else the debug build next to the tests.
    static let binary: String = {
        if let explicit = ProcessInfo.processInfo.environment["ARDESK_BIN"], !explicit.isEmpty { return explicit }
        return packageRoot.appendingPathComponent(".build/debug/ardesk").path
    }()

    let book: String
    var today = "2026-11-24"

    init() {
        book = FileManager.default.temporaryDirectory.appendingPathComponent("ardesk-cli-\(UUID().uuidString)").path
    }

    func cleanUp() { try? FileManager.default.removeItem(atPath: book) }

    @discardableResult
    /// `shell`: the arguments are `/bin/sh`'s, not ardesk's (to start it as a script would).
    func run(_ arguments: [String], environment extra: [String: String] = [:], in directory: String? = nil, shell: Bool = false) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: shell ? "/bin/sh" : CLI.binary)
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["ARDESK_BOOK"] = book
        environment["ARDESK_TODAY"] = today
        for (key, value) in extra { environment[key] = value }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Read both pipes before waiting so a large output cannot block the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    /// Runs the commands at the same time, as two scripts or two users would, and waits for all.
    func runTogether(_ commands: [[String]]) throws {
        let processes = commands.map { arguments in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CLI.binary)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(["ARDESK_BOOK": book, "ARDESK_TODAY": today]) { $1 }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            process.standardInput = FileHandle.nullDevice
            return process
        }
        for process in processes { try process.run() }
        for process in processes { process.waitUntilExit() }
    }

    /// A new book, with the customers of `csv` (a customers file's text) imported, and the
    /// invoices of `invoices` (an invoices file's text) when given.
    func makeBook(customers csv: String, invoices: String? = nil) throws {
        var results = [try run(["init"]), try run(["import", "customers", try write("customers.csv", csv)])]
        if let invoices { results.append(try run(["import", "invoices", try write("invoices.csv", invoices)])) }
        guard results.allSatisfy({ $0.status == 0 }) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: results.map(\.stderr).joined()])
        }
    }

    func write(_ name: String, _ text: String) throws -> String {
        let dir = book + "-files"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}
