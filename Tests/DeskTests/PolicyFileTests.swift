import Core
@testable import Desk
import TOMLPlaces
import Foundation
import Testing

@Suite struct PolicyFileTests {
    /// What parsing `text` as p.toml refuses it with ("" when it is a valid policy).
    func message(_ text: String) -> String {
        do { _ = try PolicyFile.parse(text, file: "p.toml"); return "" } catch { return "\(error)" }
    }

    @Test func theRenderedDefaultReadsBackAsTheDefault() throws {
        let text = PolicyFile.render(.standard)
        let parsed = try PolicyFile.parse(text, file: "policy.toml")
        #expect(parsed == .standard)
    }

    /// A level written without `interest` (files from before it) bills interest when it has a
    /// fee; a fee on a level that sends no letter is accepted, and `policy check` notes it bills nothing.
    @Test func interestDefaultsToTheLevelsFeeAndFeesWithoutALetterAreNoted() throws {
        let text = """
            [[dunning.levels]]
            name = "reminder"
            trigger_days = 1
            channel = "letter"
            [[dunning.levels]]
            name = "final"
            trigger_days = 20
            channel = "letter"
            fee = "15"
            [[dunning.levels]]
            name = "phone"
            trigger_days = 40
            channel = "call"
            fee = "5"
            """
        let policy = try PolicyFile.parse(text, file: "p.toml")
        #expect(policy.dunningLevels.map(\.billsInterest) == [false, true, false])
        #expect(PolicyFile.notes(policy) == ["dunning level 3 (phone) sends no letter (call): its fee and interest are not billed"])
        #expect(PolicyFile.notes(.standard).isEmpty)
    }

    /// A level's Chinese name is what Chinese screens show; without one they show its name.
    @Test func aLevelsChineseNameIsReadAndItsAbsenceFallsBackToTheName() throws {
        let text = """
            [[dunning.levels]]
            name = "reminder"
            name_zh = "温馨提醒"
            trigger_days = 1
            channel = "letter"
            [[dunning.levels]]
            name = "stop"
            trigger_days = 30
            channel = "hold"
            """
        let levels = try PolicyFile.parse(text, file: "p.toml").dunningLevels
        #expect(levels.map { $0.name(chinese: true) } == ["温馨提醒", "stop"])
        #expect(levels.map { $0.name(chinese: false) } == ["reminder", "stop"])
        #expect(PolicyFile.render(.standard).contains("name_zh = \"信用冻结\""))
        #expect(message("[[dunning.levels]]\nname = \"x\"\nname_zh = 3\ntrigger_days = 1\nchannel = \"letter\"")
            .contains("dunning level 1 name_zh must be a name in quotes"))
        let reason = QueueReason.About.level(4, name: "credit hold", chineseName: "信用冻结")
        #expect(reason.text(in: .cny, chinese: true) == "应升至第 4 级 信用冻结")  // due, not reached
        #expect(reason.text(in: .cny) == "level 4 credit hold due")
    }

    @Test func aChangedSettingIsTakenAndTheRestKeepsItsDefault() throws {
        let policy = try PolicyFile.parse("quiet_days = 5\n[queue]\ntolerance = \"250.00\"\n", file: "policy.toml")
        #expect(policy.quietDays == 5)
        #expect(policy.queue.tolerance == Money(minorUnits: 25000))
        #expect(policy.dunningLevels == Policy.standard.dunningLevels)
    }

    /// A policy's amounts are in the book's currency: "1000" is ¥1,000 in a yen book, read and
    /// written back so.
    @Test func amountsAreInTheBooksCurrency() throws {
        let yen = Currency(code: "JPY", minorDigits: 0)
        let text = "[[dunning.levels]]\nname = \"reminder\"\ntrigger_days = 1\nchannel = \"letter\"\nfee = \"500\"\nminimum_overdue = \"1000\"\n"
        let policy = try PolicyFile.parse(text, file: "p.toml", currency: yen)
        #expect(policy.dunningLevels.first?.fee == Money(minorUnits: 500))
        #expect(policy.dunningLevels.first?.minimumOverdue == Money(minorUnits: 1000))
        #expect(PolicyFile.render(policy, currency: yen).contains("minimum_overdue = \"1000\""))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ardesk-yen-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let folder = BookFolder(path: path)
        _ = try Desk.create(folder: folder, currency: yen, today: Day(iso: "2026-03-01")!, user: "tester")
        _ = FileManager.default.createFile(atPath: folder.policyPath, contents: Data(text.utf8))
        let desk = try Desk.open(folder: folder, today: Day(iso: "2026-03-01")!, user: "tester")
        #expect(desk.policy.dunningLevels.first?.minimumOverdue == Money(minorUnits: 1000))
    }

    /// A new interest rate is added with its first day: read, shown so it reads back, and
    /// refused when out of order or without its day, naming the change and its line.
    @Test func interestRateChangesAreDatedAndInOrder() throws {
        let text = "[interest]\nannual_rate = \"10%\"\n\n[[interest.changes]]\nfrom = \"2026-07-01\"\nannual_rate = \"12%\"\n\n[[interest.changes]]\nfrom = 2027-01-01\nannual_rate = \"3.85%\"\n"
        let policy = try PolicyFile.parse(text, file: "p.toml")
        #expect(policy.interest.changes == [.init(from: Day(iso: "2026-07-01")!, annualRateBasisPoints: 1200),
                                            .init(from: Day(iso: "2027-01-01")!, annualRateBasisPoints: 385)])
        #expect(policy.interest.rate(on: Day(iso: "2026-06-30")!) == 1000)
        let shown = PolicyFile.render(policy)
        #expect(shown.contains("[[interest.changes]]\nfrom = \"2026-07-01\"\nannual_rate = \"12%\""))
        #expect(try PolicyFile.parse(shown, file: "p.toml") == policy)
        let backwards = "[interest]\n[[interest.changes]]\nfrom = \"2026-07-01\"\nannual_rate = \"12%\"\n[[interest.changes]]\nfrom = \"2026-03-01\"\nannual_rate = \"9%\"\n"
        #expect(message(backwards).contains("p.toml:6:1: interest change 2 from must be after interest change 1's (2026-07-01)"))
        #expect(message("[[interest.changes]]\nannual_rate = \"12%\"").contains("interest change 1 from is required"))
        #expect(message("[[interest.changes]]\nfrom = \"2026-02-30\"\nannual_rate = \"12%\"").contains("p.toml:2:1: interest change 1 from must be a date"))
        #expect(message("[[interest.changes]]\nfrom = \"2026-07-01\"\nannual_rate = \"12.125%\"").contains("interest change 1 annual_rate takes at most two decimals"))
        #expect(message("[[interest.changes]]\nfrom = \"2026-07-01\"\nrate = \"12%\"").contains("interest change 1 rate is not a policy setting"))
    }

    /// What `policy show` prints reads back, quotes in a label included; a bucket with a misspelt
    /// key, a closed last bucket, falling floors out of range and negative grade points are refused.
    @Test func oddValuesAreShownSoTheyReadBackAndBadOnesRefused() throws {
        var policy = Policy.standard
        policy.collectionBuckets[0].label = "1-30 \"early\""
        #expect(try PolicyFile.parse(PolicyFile.render(policy), file: "p.toml") == policy)
        #expect(message("[aging]\ncollection_buckets = [{label=\"a\", from=1, to=30}, {label=\"b\", from=31, upto=120}]").contains("upto is not a policy setting"))
        #expect(message("[aging]\ncollection_buckets = [{label=\"a\", from=1, to=30}, {label=\"b\", from=31, to=120}]").contains("must be left out"))
        #expect(message("[scorecard]\ngrade_floors = [100, 200, 300, 400]").contains("scorecard.grade_floors"))
        #expect(message("[queue]\ngrade_points = { E = -20 }").contains("queue.grade_points.E"))
        // Levels trigger one after another; amounts and rates say what is wrong with them.
        let disordered = "[[dunning.levels]]\nname=\"a\"\ntrigger_days=10\nchannel=\"letter\"\ntemplate=\"reminder\"\n[[dunning.levels]]\nname=\"b\"\ntrigger_days=3\nchannel=\"call\"\n"
        #expect(message(disordered).contains("dunning level 2 trigger_days must be more than level 1's (10)"))
        #expect(message("[queue]\ntolerance = \"50.001\"").contains("is not an amount of CNY (at most 2 decimals"))
        #expect(message("[queue]\ntolerance = \"-5\"").contains("cannot be below zero"))
        #expect(message("[aging]\ncollection_loss_rates = [\"-2%\"]").contains("cannot be below zero"))
        // A template that is no name is refused; one with no file is placed where it is named.
        #expect(message("[[dunning.levels]]\nname=\"a\"\ntrigger_days=1\nchannel=\"letter\"\ntemplate=3\n").contains("p.toml:5:1: dunning level 1 template must be a template's name in quotes"))
        let book = try TestBook()
        let candidate = book.write("candidate.toml", "[[dunning.levels]]\nname=\"a\"\ntrigger_days=1\nchannel=\"letter\"\ntemplate=\"nosuch\"\n")
        let loaded = try PolicyFile.load(path: candidate, currency: .cny)
        let missing = try #require(Desk.missingLetterTemplate(policy: loaded, folder: book.folder, file: candidate))
        #expect(missing.hasPrefix(candidate + ":5:1: dunning level 1 (a) uses the letter template \"nosuch\""), "\(missing)")
        #expect(missing.hasSuffix("name another template in candidate.toml"))
    }

    @Test func mistakesNameTheFileAndKey() throws {
        #expect(message("quiet_dayz = 3").contains("p.toml:1:1: quiet_dayz is not a policy setting"))
        #expect(message("[interest]\nannual_rate = 0.1").contains("interest.annual_rate must be a percentage"))
        #expect(message("[[dunning.levels]]\nname = \"x\"\ntrigger_days = 1\nchannel = \"fax\"").contains("dunning level 1 channel"))
        #expect(message("quiet_days = [").contains("p.toml:1:"))
        #expect(message("[aging]\ncollection_buckets = [{label=\"a\", from=1, to=10}, {label=\"b\", from=20}]").contains("must be 11"))
        // A first bucket that leaves days uncovered would put them in the last bucket.
        #expect(message("[aging]\ncollection_buckets = [{label=\"a\", from=8, to=30}, {label=\"b\", from=31}]")
            .contains("collection_buckets[0].from must be 1"))
        #expect(message("[aging]\naccounting_buckets = [{label=\"a\", from=1, to=365}, {label=\"b\", from=366}]")
            .contains("accounting_buckets[0].from must be 0"))
        // A rate finer than interest is reckoned in is refused, not cut to 3.87 %.
        #expect(message("[interest]\nannual_rate = \"3.875%\"").contains("interest.annual_rate takes at most two decimals"))
        #expect(try PolicyFile.parse("[interest]\nannual_rate = \"3.88%\"", file: "p.toml").interest.annualRateBasisPoints == 388)
        // Text left without quotes: the syntax error says what to write.
        #expect(message("[interest]\nannual_rate = 12%\n").contains("p.toml:2:") && message("[interest]\nannual_rate = 12%\n").hasSuffix("text goes in quotes: annual_rate = \"12%\""))
        #expect(message("quiet_days = \"5\"\n").hasSuffix("must be a whole number from 0 to 365; write it without quotes: quiet_days = 5"), "\(message("quiet_days = \"5\"\n"))")
        #expect { try Roles.parse("[users]\nroot = manager\n", file: "r.toml") } throws: { "\($0)".contains("text goes in quotes: root = \"manager\"") }
    }

    /// A value refused for what it means is named by the line and column that set it, as a
    /// syntax error is: in a table, in the nth [[dunning.levels]], as a dotted key, in a list
    /// over several lines; a key left out is placed at its table's header.
    /// Every refused setting of a section or a level is named in one check, not the first alone.
    @Test func everyRefusedSettingOfASectionOrLevelIsNamed() {
        let interest = message("[interest]\nannual_rate = \"-5%\"\ngrace_days = -1\n").components(separatedBy: "\n")
        #expect(interest.count == 2 && interest[0].contains("interest.annual_rate") && interest[1].contains("interest.grace_days"), "\(interest)")
        let level = message("[[dunning.levels]]\nname = \"reminder\"\nchannel = \"lettr\"\nfee = \"-3.00\"\n").components(separatedBy: "\n")
        #expect(level.count == 3, "\(level)")
        for key in ["dunning level 1 trigger_days", "dunning level 1 channel", "dunning level 1 fee"] {
            #expect(level.contains { $0.contains(key) }, "\(key): \(level)")
        }
        // A bucket's value of the wrong type is named as such, not as missing.
        let bucket = message("[aging]\ncollection_buckets = [ { label = \"1-30\", from = 1, to = 30 }, { label = \"x\", from = \"31\" } ]\n")
        #expect(bucket.contains("aging.collection_buckets[1].from must be a whole number of days, without quotes"), "\(bucket)")
        // So are the aging lists, the hold's settings and grades, and the scorecard's lists.
        let aging = message("[aging]\ncollection_buckets = 3\naccounting_loss_rates = [\"x\"]\n").components(separatedBy: "\n")
        #expect(aging.count == 2 && aging[0].contains("aging.collection_buckets") && aging[1].contains("aging.accounting_loss_rates"), "\(aging)")
        let hold = message("[hold]\nover_limit = 1\nmax_days_past_due = { A = -1, Z = 3 }\n").components(separatedBy: "\n")
        #expect(hold.count == 3, "\(hold)")
        for key in ["hold.over_limit", "hold.max_days_past_due.A", "hold.max_days_past_due.Z"] { #expect(hold.contains { $0.contains(key) }, "\(key): \(hold)") }
        let scorecard = message("[scorecard]\nweights = [1, 2, 3, 4, 5]\nterms_days = [1, 2, 3, 4, 9999]\n").components(separatedBy: "\n")
        #expect(scorecard.count == 2 && scorecard[0].contains("scorecard.weights") && scorecard[1].contains("scorecard.terms_days"), "\(scorecard)")
    }

    @Test func refusalsNameTheLineThatSetTheValue() throws {
        #expect(message("# policy\n\n[interest]\ngrace_days = 3\n  annual_rate = 0.1").contains("p.toml:5:3: interest.annual_rate must be a percentage"))
        let levels = "[[dunning.levels]]\nname=\"a\"\ntrigger_days=10\nchannel=\"letter\"\n\n[[dunning.levels]]\nname=\"b\"\ntrigger_days=3\nchannel=\"call\"\n"
        #expect(message(levels).contains("p.toml:8:1: dunning level 2 trigger_days must be more"))
        #expect(message("[[dunning.levels]]\ntrigger_days = 1\nchannel = \"letter\"").contains("p.toml:1:1: dunning level 1 name is required"))
        #expect(message("quiet_days = 3\nqueue.day_divisor = 0").contains("p.toml:2:1: queue.day_divisor must be at least 1"))
        #expect(message("[hold]\nmax_days_past_due = { \"B\" = -1 }").contains("p.toml:2:1: hold.max_days_past_due.B"))
        #expect(message("[scorecard]\nweights = [\n  20, 20,\n  20, 20, 30,\n]").contains("p.toml:2:1: scorecard.weights must be five shares"))
        #expect(message("[aging]\ncollection_buckets = [\n  {label=\"a\", from=8, to=30},\n  {label=\"b\", from=31},\n]")
            .contains("p.toml:2:1: aging.collection_buckets[0].from must be 1"))
        // Every setting, section and level is read: one check lists each problem, in the file's order.
        let several = "[scorecard]\nweights = [1, 2, 3, 4, 5]\n\n[interest]\nannual_rate = \"x\"\n\n[[dunning.levels]]\nname = \"a\"\ntrigger_days = 1\nchannel = \"fax\"\n\n[[dunning.levels]]\ntrigger_days = 9\nchannel = \"call\""
        #expect(message(several).split(separator: "\n").map { $0.prefix(9) } == ["p.toml:2:", "p.toml:5:", "p.toml:10", "p.toml:12"], "\(message(several))")
        #expect(message(several).contains("dunning level 2 name is required"))
        #expect(TOMLKeyPlaces.keyPath(#" "odd.key" . b "#) == ["odd.key", "b"])
    }
}

extension PolicyFileTests {
    /// A policy file saved with Windows line ends names its lines and columns as one with Unix
    /// ones does (a "\r\n" is one Character to Swift, which a split on "\n" never met).
    @Test func windowsLineEndsKeepTheirPlaces() {
        let unix = "quiet_days = 3\n[interest]\nannual_rate = \"x\"\n"
        let windows = unix.replacingOccurrences(of: "\n", with: "\r\n")
        #expect(message(unix).contains("p.toml:3:1: interest.annual_rate"), "\(message(unix))")
        #expect(message(windows) == message(unix), "\(message(windows))")
        #expect(message("quiet_days = 3\r\nfoo = 1\r\n").contains("p.toml:2:1: foo is not a policy setting"))
    }
}
