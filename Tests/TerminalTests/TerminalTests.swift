import Foundation
import Terminal
import Testing

@Suite struct DisplayWidthTests {
    @Test func chineseTakesTwoColumns() {
        #expect(DisplayWidth.of("上海") == 4)
        #expect("上海".count == 2)
        #expect(DisplayWidth.of("Acme 上海 Ltd") == 13)
        #expect(DisplayWidth.of("é") == 1)  // e + combining accent
        #expect(DisplayWidth.of("ｱ") == 1 && DisplayWidth.of("Ａ") == 2)  // half- and full-width forms
    }

    @Test func truncationNeverSplitsAWideCharacter() {
        #expect(DisplayWidth.truncate("上海华瑞科技", to: 7) == "上海华…")
        #expect(DisplayWidth.of(DisplayWidth.truncate("上海华瑞科技", to: 6)) <= 6)
        #expect(DisplayWidth.truncate("short", to: 10) == "short")
        #expect(DisplayWidth.fit("上海", to: 6) == "上海  ")
        #expect(DisplayWidth.fit("12", to: 5, alignment: .right) == "   12")
        #expect(DisplayWidth.fit("上海华瑞", to: 5) == "上海…")
    }

    /// Widths summed scalar by scalar (the quick way, for Latin and Chinese text) are the widths
    /// of the characters, and cuts fall where a cut by character falls, whatever joins scalars
    /// into one character: accents, emoji sequences, flags, jamo, kana voicing marks.
    @Test func widthsByScalarAreWidthsByCharacter() {
        let pool: [String] = ["a", "Z", " ", "\t", "\r\n", "¥", "·", "é", "e\u{301}", "上", "海", "，", "、", "（", "Ａ", "ｱ", "ﾞ", "カ", "\u{3099}",
                              "…", "→", "—", "✓", "✅", "│", "█", "▁", "↔", "\u{200D}", "\u{200B}", "\u{FE0F}", "\u{20DD}", "👨", "👩",
                              "🇨", "🇳", "\u{1100}", "\u{1161}", "\u{11A8}", "한", "क", "\u{93F}", "\u{302A}", "‼"]
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((seed >> 33) % UInt64(bound))
        }
        for _ in 0..<3_000 {
            let text = (0..<next(12)).map { _ in pool[next(pool.count)] }.joined()
            #expect(DisplayWidth.of(text) == text.reduce(0) { $0 + DisplayWidth.of($1) }, "\(text.unicodeScalars.map { String($0.value, radix: 16) })")
            let width = next(14)
            var cut = "", used = 0
            for character in text {
                let w = DisplayWidth.of(character)
                if used + w > width - 1 { break }
                cut.append(character)
                used += w
            }
            let expected = width == 0 ? "" : DisplayWidth.of(text) <= width ? text : cut + "…"
            #expect(DisplayWidth.truncate(text, to: width) == expected, "\(text.unicodeScalars.map { String($0.value, radix: 16) }) to \(width)")
        }
    }
}

@Suite struct ScreenTests {
    @Test func textIsClippedAtTheEdgeWithoutSplittingWideCharacters() {
        var screen = Screen(rows: 2, cols: 5)
        let end = screen.put("ab上海", row: 0, col: 0)
        #expect(end == 4)  // "海" would need columns 4 and 5
        #expect(screen.line(0) == "ab上")
        screen.put("x", row: 0, col: 3)  // onto the right half of 上
        #expect(screen.line(0) == "ab x")
    }

    @Test func rolesAndBoxes() {
        var screen = Screen(rows: 4, cols: 10)
        screen.box(top: 0, left: 0, height: 4, width: 10, title: "T")
        #expect(screen.line(0) == "┌─ T ────┐")
        #expect(screen.line(3) == "└────────┘")
        screen.fill(row: 1, col: 1, width: 8, role: .selection)
        #expect(screen.role(row: 1, col: 4) == .selection)
        #expect(screen.role(row: 1, col: 0) == .border)
        #expect(screen.text().components(separatedBy: "\n")[1] == "│        │")
    }
}

@Suite struct KeyDecoderTests {
    @Test func decodesWhatGetWchReturns() {
        #expect(KeyDecoder.decode(120, isKeyCode: false) == .char("x"))
        #expect(KeyDecoder.decode(24212, isKeyCode: false) == .char("应"))
        #expect(KeyDecoder.decode(0o410 + 5, isKeyCode: true) == .function(5))
        #expect(KeyDecoder.decode(27, isKeyCode: false) == .escape)
        #expect(KeyDecoder.decode(127, isKeyCode: false) == .backspace)
        #expect(KeyDecoder.decode(13, isKeyCode: false) == .enter)
        #expect(KeyDecoder.decode(9, isKeyCode: false) == .tab)
        #expect(KeyDecoder.decode(0o403, isKeyCode: true) == .up)
        #expect(KeyDecoder.decode(0o523, isKeyCode: true) == .pageUp)
        #expect(KeyDecoder.decode(0o632, isKeyCode: true) == .resize)
        #expect(KeyDecoder.decode(3, isKeyCode: false) == .ctrl("c"))
    }

    /// An escape sequence ncurses did not know ends at its final character, and reads as Home or
    /// End in their vt220 and rxvt forms, else as nothing: never as Esc (which cancels a form).
    @Test func unknownEscapeSequencesAreKeysOrNothing() {
        func ends(_ text: String) -> Int? {
            let scalars = Array(text.unicodeScalars)
            return scalars.indices.first { KeyDecoder.endsSequence(scalars[$0], after: $0) }
        }
        #expect(ends("[1~x") == 2 && ends("[15;2~") == 5 && ends("OH") == 1 && ends("[A") == 1 && ends("[[A") == 2)
        #expect(KeyDecoder.unknownSequence(Array("[1~".unicodeScalars)) == .home)
        #expect(KeyDecoder.unknownSequence(Array("[8~".unicodeScalars)) == .end)
        #expect(KeyDecoder.unknownSequence(Array("OF".unicodeScalars)) == .end)
        #expect(KeyDecoder.unknownSequence(Array("[11~".unicodeScalars)) == .function(1))  // F1 as PuTTY sends it
        #expect(KeyDecoder.unknownSequence(Array("[21~".unicodeScalars)) == .function(10))
        #expect(KeyDecoder.unknownSequence(Array("[25~".unicodeScalars)) == nil)  // F13: nothing
    }
}

@Suite struct ThemeTests {
    static let themes: String = {
        var url = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { url.deleteLastPathComponent() }
        return url.appendingPathComponent("themes").path
    }()

    @Test func everyShippedThemeLoads() throws {
        for name in ["default", "light", "high-contrast", "mono"] {
            let theme = try Theme.load(named: name, folders: [Self.themes])
            for role in Role.allCases {
                _ = theme.style(role, .colors256)
                _ = theme.style(role, .colors8)
            }
            #expect(theme.style(.selection, .mono).attributes.contains(.reverse), "\(name)")
        }
        #expect(try Theme.load(named: "default", folders: ["/nonexistent"]).name == "built-in")
    }

    @Test func aBadThemeNamesFileAndKey() {
        func message(_ text: String) -> String {
            do { _ = try Theme.parse(text, file: "t.toml"); return "" } catch { return "\(error)" }
        }
        #expect(message("[colors8]\ntitle = { fg = \"purple\" }").contains("t.toml:2:1: colors8.title.fg"))
        // The line that set it, in a theme of several sections and a style table of its own.
        #expect(message("name = \"x\"\n[mono]\ntitle = { attrs = [\"bold\"] }\n\n[colors256.status]\n  fg = 300")
            .contains("t.toml:6:3: colors256.status.fg must be a colour name"))
        #expect(message("[colors8]\ntitel = { fg = \"red\" }").contains("colors8.titel is not a role"))
        #expect(message("[mono]\nkey = { attrs = [\"blink\"] }").contains("mono.key.attrs"))
        #expect(message("[colours]").contains("t.toml:1:1: colours is not a theme section"))
        #expect(message("name = ").contains("t.toml:1:"))
        #expect(throws: ThemeError.self) { try Theme.load(named: "nope", folders: [Self.themes]) }
    }
}

/// Two lines of reasons are cut between items, not inside an amount.
@Test func twoLinesAreCutBetweenItems() {
    let text = "level 3 final notice due (+20) · 111,060.00 over its limit of 72,000.00 (+15) · grade E (+10) · oldest item 400 days (+8)"
    let lines = DisplayWidth.wrapInTwoLines(text, to: 50)
    #expect(lines.count == 2 && lines[1].hasSuffix(" · …") && DisplayWidth.of(lines[1]) <= 50, "\(lines)")
    #expect(!lines[1].contains("111,060.…"))
}
