import Core

extension PolicyFile {
    /// The effective policy as a `policy.toml` a team can start from (`ardesk policy show`).
    public static func render(_ policy: Policy, currency: Currency = .cny) -> String {
        func money(_ m: Money) -> String { "\"\(currency.format(m))\"" }
        func percent(basisPoints: Int) -> String { percent(ppm: basisPoints * 100) }
        func percent(ppm: Int) -> String {
            let whole = ppm / 10_000, fraction = ppm % 10_000
            let digits = String(fraction)
            return "\"\(whole)" + (fraction == 0 ? "" : "." + String(repeating: "0", count: 4 - digits.count) + digits.trimmingTrailingZeros) + "%\""
        }
        func buckets(_ list: [AgingBucket]) -> String {
            "[\n" + list.map { "  { label = \(quoted($0.label)), from = \($0.from)" + ($0.to.map { ", to = \($0)" } ?? "") + " }," }
                .joined(separator: "\n") + "\n]"
        }
        func grades(_ map: [RiskGrade: Int]) -> String {
            "{ " + RiskGrade.allCases.compactMap { g in map[g].map { "\(g.rawValue) = \($0)" } }.joined(separator: ", ") + " }"
        }
        var lines = [
            "# ardesk policy. Every setting is optional; what is left out keeps the built-in default.",
            "# Amounts and percentages are quoted strings (money is never a floating-point number).",
            "",
            "quiet_days = \(policy.quietDays)              # no second contact within this many days",
            "promise_tolerance_days = \(policy.promiseToleranceDays)  # a promise is judged this many days after its date",
            "",
            "[aging]",
            "collection_buckets = \(buckets(policy.collectionBuckets))   # days past due; a 'not due' column always comes first",
            "accounting_buckets = \(buckets(policy.accountingBuckets))   # days since issue",
            "collection_loss_rates = [\(policy.collectionLossRatesPPM.map { percent(ppm: $0) }.joined(separator: ", "))]  # not due, then each bucket",
            "accounting_loss_rates = [\(policy.accountingLossRatesPPM.map { percent(ppm: $0) }.joined(separator: ", "))]",
            "",
            "[interest]",
            "annual_rate = \(percent(basisPoints: policy.interest.annualRateBasisPoints))  # simple daily interest on overdue principal"
                + (policy.interest.changes.isEmpty ? "" : " (before the first change below)"),
            "grace_days = \(policy.interest.graceDays)",
            "",
        ]
        // A new rate is added with its first day, not written over the old one: each day's interest
        // is reckoned at the rate of that day, so days not yet billed keep the rate they had.
        for change in policy.interest.changes {
            lines += ["[[interest.changes]]", "from = \"\(change.from.iso)\"", "annual_rate = \(percent(basisPoints: change.annualRateBasisPoints))", ""]
        }
        for level in policy.dunningLevels {
            lines += [
                "[[dunning.levels]]",
                "level = \(level.level)",
                "name = \(quoted(level.name))",
            ] + (level.chineseName.map { ["name_zh = \(quoted($0))    # shown on Chinese screens and letters"] } ?? []) + [
                "trigger_days = \(level.triggerDays)      # days past due of the oldest open item",
                "channel = \"\(level.channel.rawValue)\"     # \(DunningChannel.allCases.map(\.rawValue).joined(separator: ", "))",
                "template = \(quoted(level.template))",
                "fee = \(money(level.fee))      # billed by the letter, apart from the principal",
                "interest = \(level.billsInterest)     # the letter also bills interest not billed yet",
                "minimum_overdue = \(money(level.minimumOverdue))",
                "",
            ]
        }
        let q = policy.queue
        lines += [
            "[queue]",
            "tolerance = \(money(q.tolerance))          # past due below this does not enter the queue on its own",
            "per_thousand_past_due = \(q.perThousandPastDue)",
            "past_due_cap = \(q.pastDueCap)",
            "per_day_oldest = \(q.perDayOldest)",
            "day_divisor = \(q.dayDivisor)",
            "oldest_cap = \(q.oldestCap)",
            "callback_due = \(q.callbackDue)",
            "broken_promise = \(q.brokenPromise)",
            "payment_reversed = \(q.paymentReversed)          # a payment returned unpaid since the last contact",
            "level_due = \(q.levelDue)",
            "newly_past_due = \(q.newlyPastDue)",
            "newly_past_due_days = \(q.newlyPastDueDays)",
            "no_contact = \(q.noContact)",
            "no_contact_days = \(q.noContactDays)          # past due and not called this long: back in the queue (0: off)",
            "over_limit = \(q.overLimit)",
            "grade_points = \(grades(q.gradePoints))",
            "",
            "[hold]",
            "over_limit = \(policy.hold.overLimit)",
            "max_days_past_due = \(grades(policy.hold.maxDaysPastDue))",
            "",
            "[scorecard]",
            "weights = \(policy.scorecard.weights)   # character, capacity, capital, collateral, conditions",
            "grade_floors = \(policy.scorecard.gradeFloors)   # weighted score x100 for A, B, C, D",
            "limit_percent_of_monthly_sales = \(policy.scorecard.limitPercentOfMonthlySales)",
            "terms_days = \(policy.scorecard.termsDays)",
            "",
            "[approval]",
            policy.writeOffApprovalAbove.map { "write_off_above = \(money($0))   # a manager's own write-off above this needs another manager's approval" }
                ?? "# write_off_above = \"10000.00\"   # a manager's own write-off above this needs another manager's approval (a request)",
        ]
        return lines.joined(separator: "\n") + "\n"
    }
}

extension String {
    var trimmingTrailingZeros: String {
        var s = Substring(self)
        while s.last == "0" { s.removeLast() }
        return String(s)
    }
}

/// A TOML basic string: quotes, backslashes and control characters escaped, so that what
/// `policy show` prints reads back.
func quoted(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F { out += String(format: "\\u%04X", scalar.value) } else { out.unicodeScalars.append(scalar) }
        }
    }
    return out + "\""
}
