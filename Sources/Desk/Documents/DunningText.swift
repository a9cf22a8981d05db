import Core

/// What a dunning run writes into its records in words (a call task's note, a request's reason,
/// a withdrawal), in English as records are; and the same words read back in Chinese for a
/// Chinese screen. Written and read here alone, so the two cannot drift apart.
public enum DunningText {
    /// A call or visit task's note: "dunning level 2 phone: call".
    static func task(_ level: DunningLevel) -> String { "dunning level \(level.level) \(level.name): \(level.channel.rawValue)" }
    /// A hold or hand-off request's reason: "dunning level 4 credit hold".
    static func request(_ level: DunningLevel) -> String { "dunning level \(level.level) \(level.name)" }
    /// Why a run withdrew a request its resolved level had filed.
    static func withdrawn(by runID: String) -> String { "withdrawn: dunning run \(runID) resolved the level" }

    /// `text` in Chinese when a run wrote it for one of `levels` (the level of that number and
    /// name); anything else (what a person typed, "dunning level 3 too early" included) as it is.
    public static func chinese(_ text: String, levels: [DunningLevel]) -> String {
        let withdrawal = (prefix: "withdrawn: dunning run ", suffix: " resolved the level")
        if text.hasPrefix(withdrawal.prefix), text.hasSuffix(withdrawal.suffix) {
            let run = text.dropFirst(withdrawal.prefix.count).dropLast(withdrawal.suffix.count)
            if run.hasPrefix("RUN-"), !run.contains(" ") { return "已撤回：催收批次 \(run) 已解除该级" }
        }
        for level in levels {
            let channel = level.channel == .call ? "电话" : level.channel == .visit ? "上门" : nil
            if let channel, text == task(level) { return "催收第 \(level.level) 级（\(level.name(chinese: true))）：\(channel)" }
            if text == request(level) { return "催收第 \(level.level) 级（\(level.name(chinese: true))）" }
        }
        return text
    }
}
