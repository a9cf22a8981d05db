import Desk
import Foundation
import Terminal
import Workstation

/// Every panel and the keys collectors and managers press most, each timed from the key to the
/// redrawn screen: what the keystroke figures (the customers panel's) do not cover. Nothing is
/// saved: each form opened is cancelled. Three passes, each with a new workstation; then the
/// review and dashboard as a manager's session meets them, their figures made ahead.
@MainActor func sweepKeys(desk: Desk) {
    let steps: [(label: String, keys: [Key])] = [
        ("queue: ↓", [.down]),
        ("queue: s (rank)", [.char("s")]),
        ("queue: s (back)", [.char("s")]),
        ("queue: / 上 海", [.char("/"), .char("上"), .char("海")]),
        ("queue: Enter (search ends)", [.enter]),
        ("queue: Esc", [.escape]),
        ("queue: / h u a (pinyin)", [.char("/"), .char("h"), .char("u"), .char("a")]),
        ("queue: Esc (search gone)", [.escape]),
        ("queue: Enter (ledger)", [.enter]),
        ("ledger: ↓", [.down]),
        ("ledger: PgDn", [.pageDown]),
        ("ledger: p (promise form)", [.char("p")]),
        ("form: Esc", [.escape]),
        ("ledger: W (write-off form)", [.char("W")]),
        ("form: Esc", [.escape]),
        ("ledger: 5 (scorecard)", [.char("5")]),
        ("form: Esc", [.escape]),
        ("ledger: Esc (back)", [.escape]),
        ("queue: o (mine / all)", [.char("o")]),
        ("queue: o (back)", [.char("o")]),
        ("queue: Tab → customers", [.tab]),
        ("customers: f", [.char("f")]),
        ("customers: s", [.char("s")]),
        ("customers: G", [.char("G")]),
        ("customers: g", [.char("g")]),
        ("customers: :g name + Enter", [.char(":")] + "g C00123".map { Key.char($0) } + [.enter]),
        ("ledger: Tab → approvals", [.tab]),
        ("approvals: Tab → review", [.tab]),
        ("review: ↓", [.down]),
        ("review: s", [.char("s")]),
        ("review: f", [.char("f")]),
        ("review: Tab → dashboard", [.tab]),
        ("dashboard: Tab → queue", [.tab]),
        ("queue: :dunning (preview)", [.char(":")] + "dunning".map { Key.char($0) } + [.enter]),
        ("preview: Esc", [.escape]),
        ("queue: ? (help)", [.char("?")]),
        ("help: Esc", [.escape]),
    ]
    var times = Array(repeating: [Double](), count: steps.count)
    for _ in 0..<3 {
        let workstation = Workstation(desk: desk, asOf: today, language: .en)
        _ = workstation.render(rows: 48, cols: 160)
        workstation.finishBackgroundWork()
        for (index, step) in steps.enumerated() {
            times[index].append(seconds {
                for key in step.keys { _ = workstation.handle(key) }
                _ = workstation.render(rows: 48, cols: 160)
            })
        }
    }
    for (index, step) in steps.enumerated() {
        let sorted = times[index].sorted()
        let ms = sorted.map { String(format: "%.1f", $0 * 1000) }.joined(separator: " / ")
        print(step.label.padding(toLength: 34, withPad: " ", startingAt: 0) + ms + " ms")
    }
    // What a manager's session meets: the review's and dashboard's figures made after the first
    // screen while the queue is read (two seconds here), then to the review and the dashboard.
    var ahead: [(review: Double, dashboard: Double)] = []
    for _ in 0..<3 {
        let workstation = Workstation(desk: desk, asOf: today, language: .en)
        _ = workstation.render(rows: 48, cols: 160)
        workstation.firstScreenShown()
        Thread.sleep(forTimeInterval: 2)
        // Shift-Tab from the queue is the dashboard, and again the review.
        let dashboard = seconds { _ = workstation.handle(.backTab); _ = workstation.render(rows: 48, cols: 160) }
        let review = seconds { _ = workstation.handle(.backTab); _ = workstation.render(rows: 48, cols: 160) }
        ahead.append((review, dashboard))
    }
    let ms = { (values: [Double]) in values.sorted().map { String(format: "%.1f", $0 * 1000) }.joined(separator: " / ") }
    print("ahead: S-Tab → dashboard".padding(toLength: 34, withPad: " ", startingAt: 0) + ms(ahead.map(\.dashboard)) + " ms")
    print("ahead: S-Tab → review".padding(toLength: 34, withPad: " ", startingAt: 0) + ms(ahead.map(\.review)) + " ms")
}
