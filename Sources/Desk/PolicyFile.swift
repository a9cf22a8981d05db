import Core
import Foundation
import TOMLKit
import TOMLPlaces

/// Reads `policy.toml` over the built-in default policy. Every key is optional; an unknown key or a
/// wrong value is refused with the file, line, column and key named, never silently ignored.
public enum PolicyFile {
    /// Amounts in the file are read in `currency`, the book's: "500" is ¥500 in a yen book, not
    /// 50,000 minor units as it would be read in yuan.
    public static func load(folder: BookFolder, currency: Currency = .cny) throws -> Policy {
        guard TrustedFile.entryExists(folder.policyPath) else { return .standard }
        // A collector's own policy would change rates, fees and holds for the whole team.
        try TrustedFile.check(folder.policyPath, in: folder, what: "the policy")
        return try load(path: folder.policyPath, currency: currency)
    }

    public static func load(path: String, currency: Currency = .cny) throws -> Policy {
        guard let data = FileManager.default.contents(atPath: path) else { throw DeskError.invalid("cannot read \(path)") }
        guard let text = String(data: data, encoding: .utf8) else { throw DeskError.invalid("\(path) is not UTF-8 text") }
        return try parse(text, file: path, currency: currency)
    }

    /// What a valid policy sets that does nothing: a fee or interest on a level that sends no
    /// letter (only a letter bills them; nothing would tell the customer).
    public static func notes(_ policy: Policy) -> [String] {
        policy.dunningLevels.filter { !$0.isLetter && ($0.fee.isPositive || $0.billsInterest) }.map { level in
            "dunning level \(level.level) (\(level.name)) sends no letter (\(level.channel.rawValue)): its fee and interest are not billed"
        }
    }

    public static func parse(_ text: String, file: String, currency: Currency = .cny) throws -> Policy {
        let table: TOMLTable
        do { table = try TOMLTable(string: text) } catch let error as TOMLParseError {
            throw DeskError.invalid(Phrase(TOMLSyntaxError.text(file: file, line: error.source.begin.line, column: error.source.begin.column,
                                                problem: error.description, source: text)))
        }
        var reader = PolicyReader(file: file, currency: currency, text: text)
        return try reader.read(table)
    }
}

/// A value of the policy file refused, with the line that set it (nil: not found in the text).
struct PolicyProblem: Error {
    let line: Int?
    let text: String
}

/// Walks the TOML table, naming each key it reads so that leftovers can be reported as unknown.
struct PolicyReader {
    let file: String
    let currency: Currency
    /// The file's text, to find where a refused key is set.
    let text: String
    var policy = Policy.standard

    /// A refusal naming the file, the line and column where the key is set (or its table, when
    /// the key is left out), and the key.
    func fail(_ key: String, _ problem: String) -> PolicyProblem {
        let place = PolicyReader.place(of: key, in: text)  // only for a refusal: a valid file is not searched
        return PolicyProblem(line: place?.line, text: "\(file)\(place?.suffix ?? ""): \(key) \(problem)")
    }

    /// Where in a policy file's `text` the setting `key` ("dunning level 2 fee", "queue.tolerance") is set.
    static func place(of key: String, in text: String) -> TOMLKeyPlaces.Place? {
        let places = TOMLKeyPlaces(text: text)
        return path(named: key).flatMap(places.place(of:)) ?? places.place(ofDotted: key)
    }

    /// Problems found so far; each setting, section and dunning level is read even after an
    /// earlier one was refused, so one check lists what to mend (in the file's order).
    var problems: [PolicyProblem] = []

    /// Runs one part of the reading, keeping its problem and going on.
    private mutating func attempt(_ part: (inout PolicyReader) throws -> Void) {
        do { try part(&self) } catch let problem as PolicyProblem { problems.append(problem) } catch {
            problems.append(PolicyProblem(line: nil, text: "\(file): \(error)"))
        }
    }

    /// The key path of a dunning level's or interest change's key as messages name it ("dunning
    /// level 2 fee": the second [[dunning.levels]]); nil for any other name (dotted, as the file
    /// spells it).
    static func path(named name: String) -> [String]? {
        let lists = [("dunning level ", ["dunning", "levels"]), ("interest change ", ["interest", "changes"])]
        guard let (lead, path) = lists.first(where: { name.hasPrefix($0.0) }) else { return nil }
        let rest = name.dropFirst(lead.count)
        let digits = rest.prefix { $0.isNumber }
        guard let number = Int(digits), number >= 1 else { return nil }
        let key = rest.dropFirst(digits.count).drop { $0 == " " }
        return [path[0], "\(path[1])[\(number - 1)]"] + (key.isEmpty ? [] : [String(key)])
    }

    mutating func read(_ root: TOMLTable) throws -> Policy {
        attempt { try $0.known(root, "", ["quiet_days", "promise_tolerance_days", "aging", "interest", "dunning", "queue", "hold", "scorecard", "approval"]) }
        attempt { reader in if let v = try reader.int(root, "quiet_days", 0...365) { reader.policy.quietDays = v } }
        attempt { reader in if let v = try reader.int(root, "promise_tolerance_days", 0...60) { reader.policy.promiseToleranceDays = v } }
        attempt { reader in if let aging = try reader.table(root, "aging") { try reader.readAging(aging) } }
        attempt { reader in if let interest = try reader.table(root, "interest") { try reader.readInterest(interest) } }
        attempt { reader in if let dunning = try reader.table(root, "dunning") { try reader.readDunning(dunning) } }
        attempt { reader in if let queue = try reader.table(root, "queue") { try reader.readQueue(queue) } }
        attempt { reader in if let hold = try reader.table(root, "hold") { try reader.readHold(hold) } }
        attempt { reader in if let scorecard = try reader.table(root, "scorecard") { try reader.readScorecard(scorecard) } }
        attempt { reader in if let approval = try reader.table(root, "approval") { try reader.readApproval(approval) } }
        guard problems.isEmpty else {
            let ordered = problems.enumerated().sorted { ($0.element.line ?? .max, $0.offset) < ($1.element.line ?? .max, $1.offset) }
            throw DeskError.invalid("\(ordered.map(\.element.text).joined(separator: "\n"))")
        }
        return policy
    }

    mutating func readAging(_ aging: TOMLTable) throws {
        // Each setting on its own: one check lists every problem of the section.
        let problemsBefore = problems.count
        attempt { try $0.known(aging, "aging.", ["collection_buckets", "accounting_buckets", "collection_loss_rates", "accounting_loss_rates"]) }
        // Collection buckets follow the "not due" column (days past due from 1); accounting
        // buckets age from the issue day (0). A gap would put its items in the last bucket.
        attempt { r in if let b = try r.buckets(aging, "aging.collection_buckets", startingAt: 1) { r.policy.collectionBuckets = b } }
        attempt { r in if let b = try r.buckets(aging, "aging.accounting_buckets", startingAt: 0) { r.policy.accountingBuckets = b } }
        attempt { r in if let rates = try r.rates(aging, "aging.collection_loss_rates") { r.policy.collectionLossRatesPPM = rates } }
        attempt { r in if let rates = try r.rates(aging, "aging.accounting_loss_rates") { r.policy.accountingLossRatesPPM = rates } }
        // How many rates the buckets need, once both read.
        guard problems.count == problemsBefore else { return }
        guard policy.collectionLossRatesPPM.count == policy.collectionBuckets.count + 1 else {
            throw fail("aging.collection_loss_rates", "needs \(policy.collectionBuckets.count + 1) rates: not due, then one per bucket")
        }
        guard policy.accountingLossRatesPPM.count == policy.accountingBuckets.count else {
            throw fail("aging.accounting_loss_rates", "needs one rate per accounting bucket (\(policy.accountingBuckets.count))")
        }
    }

    mutating func readInterest(_ interest: TOMLTable) throws {
        // Each setting on its own: one check lists every problem of the section.
        attempt { try $0.known(interest, "interest.", ["annual_rate", "grace_days", "changes"]) }
        attempt { r in if let rate = try r.annualRate(interest, "interest.") { r.policy.interest.annualRateBasisPoints = rate } }
        attempt { r in if let g = try r.int(interest, "grace_days", 0...365, prefix: "interest.") { r.policy.interest.graceDays = g } }
        guard let changes = interest["changes"] else { return }
        guard let array = changes.array else {
            throw fail("interest.changes", "must be a list of [[interest.changes]] tables, each with from and annual_rate")
        }
        // Named as the file reads them: the second [[interest.changes]] is interest change 2.
        var read: [InterestTerms.RateChange] = []
        for (index, item) in array.enumerated() {
            let name = "interest change \(index + 1)"
            guard let t = item.table else { throw fail(name, "must be a table with from and annual_rate") }
            try known(t, name + " ", ["from", "annual_rate"])
            guard let from = try day(t, "from", prefix: name + " ") else { throw fail(name + " from", "is required: the first day of the new rate, e.g. \"2026-07-01\"") }
            guard let rate = try annualRate(t, name + " ") else { throw fail(name + " annual_rate", "is required, e.g. \"12%\"") }
            if let previous = read.last, from <= previous.from {
                throw fail(name + " from", "must be after interest change \(index)'s (\(previous.from.iso)): changes are listed in the order they came")
            }
            read.append(InterestTerms.RateChange(from: from, annualRateBasisPoints: rate))
        }
        policy.interest.changes = read
    }

    /// An `annual_rate` in hundredths of a percent: interest is reckoned so, and a finer rate is
    /// refused, not cut.
    func annualRate(_ t: TOMLTable, _ prefix: String) throws -> Int? {
        guard let ppm = try percent(t, "annual_rate", prefix: prefix) else { return nil }
        guard ppm % 100 == 0 else { throw fail(prefix + "annual_rate", "takes at most two decimals, e.g. \"3.88%\"") }
        return ppm / 100
    }

    /// A day, quoted ("2026-07-01") or as a TOML date (2026-07-01).
    func day(_ t: TOMLTable, _ key: String, prefix: String) throws -> Day? {
        guard let value = t[key] else { return nil }
        let text = value.string ?? value.date.map { String(format: "%04d-%02d-%02d", $0.year, $0.month, $0.day) }
        guard let text, let day = Day(iso: text) else { throw fail(prefix + key, "must be a date, e.g. \"2026-07-01\"") }
        return day
    }

    mutating func readDunning(_ dunning: TOMLTable) throws {
        try known(dunning, "dunning.", ["levels"])
        guard let levels = dunning["levels"] else { return }
        guard let array = levels.array else { throw fail("dunning.levels", "must be a list of [[dunning.levels]] tables") }
        var read: [DunningLevel] = []
        let problemsBefore = problems.count
        for (index, item) in array.enumerated() {
            // Named as the file reads them, first to last: the third [[dunning.levels]] is level 3.
            guard let t = item.table else { problems.append(fail("dunning level \(index + 1)", "must be a table")); continue }
            if let level = level(t, "dunning level \(index + 1) ", number: index + 1) { read.append(level) }
        }
        guard problems.count == problemsBefore else { return }
        // One level after another: a later level must trigger later, or customers between
        // the two triggers would wait at the earlier level.
        for (index, pair) in zip(read, read.dropFirst()).enumerated() where pair.1.triggerDays <= pair.0.triggerDays {
            throw fail("dunning level \(index + 2) trigger_days", "must be more than level \(pair.0.level)'s (\(pair.0.triggerDays))")
        }
        policy.dunningLevels = read
    }

    mutating func readApproval(_ approval: TOMLTable) throws {
        attempt { try $0.known(approval, "approval.", ["write_off_above"]) }
        attempt { r in
            if let above = try r.money(approval, "write_off_above", prefix: "approval.") { r.policy.writeOffApprovalAbove = above }
        }
    }

    mutating func readHold(_ hold: TOMLTable) throws {
        attempt { try $0.known(hold, "hold.", ["over_limit", "max_days_past_due"]) }
        attempt { r in
            if let b = hold["over_limit"] {
                guard let v = b.bool else { throw r.fail("hold.over_limit", "must be true or false") }
                r.policy.hold.overLimit = v
            }
        }
        attempt { r in
            guard let grades = try r.table(hold, "max_days_past_due", prefix: "hold.") else { return }
            for (key, value) in grades {  // each grade on its own
                r.attempt { r in
                    guard let grade = RiskGrade(rawValue: key.uppercased()) else { throw r.fail("hold.max_days_past_due.\(key)", "is not a grade A to E") }
                    guard let days = value.int, days >= 0 else { throw r.fail("hold.max_days_past_due.\(key)", "must be a whole number of days") }
                    r.policy.hold.maxDaysPastDue[grade] = days
                }
            }
        }
    }

    mutating func readScorecard(_ scorecard: TOMLTable) throws {
        // Each list on its own: one check lists every problem of the section.
        attempt { try $0.known(scorecard, "scorecard.", ["weights", "grade_floors", "limit_percent_of_monthly_sales", "terms_days"]) }
        attempt { r in
            guard let w = try r.ints(scorecard, "scorecard.weights", count: 5) else { return }
            guard w.allSatisfy({ $0 >= 0 }), w.reduce(0, +) == 100 else { throw r.fail("scorecard.weights", "must be five shares from 0 adding up to 100") }
            r.policy.scorecard.weights = w
        }
        attempt { r in
            guard let f = try r.ints(scorecard, "scorecard.grade_floors", count: 4) else { return }
            // Scores are 1.00 to 5.00 (kept as 100 to 500); floors fall from grade A's down.
            guard f.allSatisfy({ (100...500).contains($0) }), zip(f, f.dropFirst()).allSatisfy({ $0 > $1 }) else {
                throw r.fail("scorecard.grade_floors", "must be four scores from 100 to 500 (1.00 to 5.00), falling from grade A's floor")
            }
            r.policy.scorecard.gradeFloors = f
        }
        attempt { r in
            guard let l = try r.ints(scorecard, "scorecard.limit_percent_of_monthly_sales", count: 5) else { return }
            guard l.allSatisfy({ $0 >= 0 }) else { throw r.fail("scorecard.limit_percent_of_monthly_sales", "cannot be below zero") }
            r.policy.scorecard.limitPercentOfMonthlySales = l
        }
        attempt { r in
            guard let t = try r.ints(scorecard, "scorecard.terms_days", count: 5) else { return }
            guard t.allSatisfy({ (0...3650).contains($0) }) else { throw r.fail("scorecard.terms_days", "must be days from 0 to 3650") }
            r.policy.scorecard.termsDays = t
        }
    }

    mutating func readQueue(_ q: TOMLTable) throws {
        let names = ["per_thousand_past_due", "past_due_cap", "per_day_oldest", "day_divisor", "oldest_cap", "callback_due",
                     "broken_promise", "payment_reversed", "level_due", "newly_past_due", "over_limit", "newly_past_due_days", "no_contact", "no_contact_days", "tolerance", "grade_points"]
        try known(q, "queue.", Set(names))
        var points = policy.queue
        let setters: [(String, WritableKeyPath<QueuePoints, Int>)] = [
            ("per_thousand_past_due", \.perThousandPastDue), ("past_due_cap", \.pastDueCap), ("per_day_oldest", \.perDayOldest),
            ("day_divisor", \.dayDivisor), ("oldest_cap", \.oldestCap), ("callback_due", \.callbackDue),
            ("broken_promise", \.brokenPromise), ("payment_reversed", \.paymentReversed), ("level_due", \.levelDue), ("newly_past_due", \.newlyPastDue),
            ("over_limit", \.overLimit), ("newly_past_due_days", \.newlyPastDueDays), ("no_contact", \.noContact),
            ("no_contact_days", \.noContactDays),
        ]
        for (key, path) in setters {
            if let v = try int(q, key, 0...100_000, prefix: "queue.") { points[keyPath: path] = v }
        }
        if points.dayDivisor == 0 { throw fail("queue.day_divisor", "must be at least 1") }
        if let t = try money(q, "tolerance", prefix: "queue.") { points.tolerance = t }
        if let grades = try table(q, "grade_points", prefix: "queue.") {
            for (key, value) in grades {
                guard let grade = RiskGrade(rawValue: key.uppercased()) else { throw fail("queue.grade_points.\(key)", "is not a grade A to E") }
                guard let v = value.int, v >= 0 else { throw fail("queue.grade_points.\(key)", "must be a whole number from 0") }
                points.gradePoints[grade] = v
            }
        }
        policy.queue = points
    }

    /// One dunning level, each of its settings read even after another was refused (so one check
    /// lists all of a level's problems); nil when any was.
    mutating func level(_ t: TOMLTable, _ prefix: String, number: Int) -> DunningLevel? {
        let problemsBefore = problems.count
        var name: String?, trigger: Int?, channel: DunningChannel?
        var fee: Money?, billsInterest: Bool?, minimum: Money?, chineseName: String?
        attempt { try $0.known(t, prefix, ["level", "name", "name_zh", "trigger_days", "channel", "template", "fee", "interest", "minimum_overdue"]) }
        attempt { r in
            guard (try r.int(t, "level", 1...20, prefix: prefix) ?? number) == number else {
                throw r.fail(prefix + "level", "must be \(number): levels are numbered 1, 2, 3 ... in order")
            }
        }
        attempt { r in
            guard let text = t["name"]?.string else { throw r.fail(prefix + "name", "is required") }
            name = text
        }
        attempt { r in
            guard let days = try r.int(t, "trigger_days", -365...3650, prefix: prefix) else { throw r.fail(prefix + "trigger_days", "is required") }
            trigger = days
        }
        attempt { r in
            guard let text = t["channel"]?.string, let named = DunningChannel(rawValue: text) else {
                throw r.fail(prefix + "channel", "must be one of \(DunningChannel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            channel = named
        }
        attempt { r in
            if let template = t["template"], template.string?.isEmpty ?? true {
                throw r.fail(prefix + "template", "must be a template's name in quotes (letter-NAME.en.md.mustache)")
            }
        }
        attempt { r in
            guard let chinese = t["name_zh"] else { return }
            guard let text = chinese.string, !text.isEmpty else { throw r.fail(prefix + "name_zh", "must be a name in quotes") }
            chineseName = text
        }
        attempt { r in fee = try r.money(t, "fee", prefix: prefix) }
        attempt { r in
            guard let interest = t["interest"] else { return }
            guard let bills = interest.bool else { throw r.fail(prefix + "interest", "must be true or false") }
            billsInterest = bills
        }
        attempt { r in minimum = try r.money(t, "minimum_overdue", prefix: prefix) }
        guard problems.count == problemsBefore, let name, let trigger, let channel else { return nil }
        var level = DunningLevel(level: number, name: name, triggerDays: trigger, channel: channel, template: t["template"]?.string ?? name)
        level.chineseName = chineseName
        if let fee { level.fee = fee }
        // Files written before levels said so: a letter with a fee, a formal notice, bills the
        // interest it shows too; a letter without one (a reminder) does not.
        level.billsInterest = billsInterest ?? (level.isLetter && level.fee.isPositive)
        if let minimum { level.minimumOverdue = minimum }
        return level
    }
}
