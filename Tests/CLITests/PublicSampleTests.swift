import Foundation
import Testing

/// IBM's public accounts-receivable sample (../shared/data): foreign headers, US dates, every
/// invoice settled. As of a past day D the open book is every invoice issued on or before D and
/// settled after D; its aging must match an independent computation to the cent.
@Suite(.serialized) struct PublicSampleTests {
    static let sample = CLI.packageRoot.deletingLastPathComponent().appendingPathComponent("shared/data/ibm-accounts-receivable.csv").path

    struct Row { var issued: String; var due: String; var settled: String; var cents: Int }

    static func isoFromUS(_ text: Substring) -> String {
        let p = text.split(separator: "/").map { Int($0)! }
        return String(format: "%04d-%02d-%02d", p[2], p[0], p[1])
    }

    static func rows() throws -> [Row] {
        let text = try String(contentsOfFile: sample, encoding: .utf8)
        return text.split(whereSeparator: \.isNewline).dropFirst().map { line in
            let f = line.split(separator: ",", omittingEmptySubsequences: false)
            let amount = f[6].split(separator: ".")
            let cents = Int(amount[0])! * 100 + (amount.count > 1 ? Int(amount[1].padding(toLength: 2, withPad: "0", startingAt: 0))! : 0)
            return Row(issued: isoFromUS(f[4]), due: isoFromUS(f[5]), settled: isoFromUS(f[8]), cents: cents)
        }
    }

    /// Days between two ISO dates, by the proleptic Gregorian calendar, independently of ardesk's Day.
    static func days(_ a: String, _ b: String) -> Int {
        let f = DateFormatter(); f.dateFormat = "yyyy-MM-dd"; f.timeZone = TimeZone(identifier: "UTC")
        return Int((f.date(from: b)!.timeIntervalSince(f.date(from: a)!) / 86400).rounded())
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: sample))) func agingAsOfPastDaysMatchesToTheCent() throws {
        let cli = CLI()
        defer { cli.cleanUp() }
        #expect(try cli.run(["init", "--currency", "USD"]).status == 0)
        let common = ["--date-format", "M/D/YYYY", "--map", "customerID=customer"]
        let invoices = try cli.run(["import", "invoices", Self.sample, "--create-customers", "--map", "invoiceNumber=number",
                                    "--map", "InvoiceDate=issue_date", "--map", "DueDate=due_date", "--map", "InvoiceAmount=amount"] + common)
        #expect(invoices.status == 0, "\(invoices.stderr)")
        #expect(invoices.stdout.contains("2466 rows"))
        // Its "Disputed" column opens a dispute on each invoice marked Yes.
        let log = try String(contentsOfFile: cli.book + "/journal.log", encoding: .utf8)
        let marked = try String(contentsOfFile: Self.sample, encoding: .utf8).split(whereSeparator: \.isNewline).filter { $0.split(separator: ",")[7] == "Yes" }.count
        #expect(marked == 561)
        #expect(log.components(separatedBy: "\"type\":\"dispute.opened\"").count - 1 == marked)
        let payments = try cli.run(["import", "payments", Self.sample, "--map", "invoiceNumber=reference", "--map", "invoiceNumber=invoice",
                                    "--map", "SettledDate=date", "--map", "InvoiceAmount=amount"] + common)
        #expect(payments.status == 0, "\(payments.stderr)")
        // Every invoice is paid in full, so the disputes the file's flag opened end with the payments.
        #expect(payments.stdout.contains("\(marked) imported disputes resolved"))
        let paidLog = try String(contentsOfFile: cli.book + "/journal.log", encoding: .utf8)
        #expect(paidLog.components(separatedBy: "\"type\":\"dispute.resolved\"").count - 1 == marked)

        let rows = try Self.rows()
        for asOf in ["2012-03-31", "2012-12-31", "2013-06-30", "2013-09-15", "2013-12-31"] {
            var expected = [0, 0, 0, 0, 0]
            for row in rows where row.issued <= asOf && row.settled > asOf {
                let late = Self.days(row.due, asOf)
                let bucket = late <= 0 ? 0 : late <= 30 ? 1 : late <= 60 ? 2 : late <= 90 ? 3 : 4
                expected[bucket] += row.cents
            }
            let report = try cli.run(["report", "aging", "--as-of", asOf, "--format", "json"])
            #expect(report.status == 0, "\(report.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as! [String: Any]
            let amounts = (json["buckets"] as! [[String: Any]]).map { $0["amount"] as! String }
            let cents = expected.map { String(format: "%d.%02d", $0 / 100, $0 % 100) }
            #expect(amounts == cents, "as of \(asOf)")
            #expect(json["total"] as? String == String(format: "%d.%02d", expected.reduce(0, +) / 100, expected.reduce(0, +) % 100))
        }
    }
}
