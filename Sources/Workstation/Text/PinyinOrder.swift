import Core
import Foundation

/// Names in the order a Chinese reader expects: Chinese characters by pinyin (ICU's Chinese
/// collation, `PinyinOrderData`), Latin letters among them by letter whatever their case (a name
/// in Latin letters under "B" comes just before the Chinese names filed under B), digits and signs
/// first. Code point order put 上海 before 北京 and every Chinese name after every Latin one.
enum PinyinOrder {
    static let ranks: [UInt16] = {
        let bytes = [UInt8](Data(base64Encoded: PinyinOrderData.ranks, options: .ignoreUnknownCharacters) ?? Data())
        return stride(from: 0, to: bytes.count - 1, by: 2).map { UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]) }
    }()

    /// Each CJK character's place, worked out once: 50,000 names are ranked on every open.
    static let places: [UInt32] = ranks.map { letterBase(letter(ofRank: Int($0))) + 1 + UInt32($0) }

    /// The pinyin initial (a…z) each CJK character is filed under, worked out once.
    static let initialLetters: [UInt8] = ranks.map { UInt8(ascii: "a") + UInt8(letter(ofRank: Int($0))) }

    /// Each CJK character's pinyin without tones, as its characters (`PinyinSyllableData`),
    /// worked out once; empty for a character without one.
    static let syllables: [[UInt8]] = {
        let names = PinyinSyllableData.syllables.split(separator: " ").map { Array($0.utf8) }
        let bytes = [UInt8](Data(base64Encoded: PinyinSyllableData.numbers, options: .ignoreUnknownCharacters) ?? Data())
        return stride(from: 0, to: bytes.count - 1, by: 2).map {
            let number = Int(bytes[$0]) << 8 | Int(bytes[$0 + 1])
            return number > 0 && number <= names.count ? names[number - 1] : []
        }
    }()

    /// What a search for a Chinese name by its pinyin looks in, after a separator no typed search
    /// holds: its initials (上海华瑞 → "shhr"), then its syllables with each one's first letter
    /// a capital ("ShangHaiHuaRui", so that a search may begin only where a syllable or a word
    /// does: "hua" is 华 and not inside chuang), Latin letters and digits as they are in both;
    /// empty for a name without Chinese characters, whose letters are searched already.
    static func searchText(_ name: String) -> String {
        let (first, last) = (PinyinOrderData.first, PinyinOrderData.last)
        let scalars = asRead(name).unicodeScalars
        guard scalars.contains(where: { $0.value >= first && $0.value <= last }) else { return "" }
        var initials: [UInt8] = [0x01]
        var whole: [UInt8] = [0x01]
        var inWord = false  // within a run of Latin letters
        for scalar in scalars {
            switch scalar.value {
            case first...last where Int(scalar.value - first) < initialLetters.count:
                // Both from the reading names use (泊头 is botou, so bt), else the letter the
                // character is filed under.
                let place = Int(scalar.value - first)
                let syllable = place < syllables.count && !syllables[place].isEmpty ? syllables[place] : [initialLetters[place]]
                initials.append(syllable[0])
                whole.append(capital(syllable[0])); whole.append(contentsOf: syllable.dropFirst())
                inWord = false
            case 0x41...0x5A, 0x61...0x7A:
                let letter = UInt8(scalar.value) | 0x20  // A-Z as a-z
                initials.append(letter)
                whole.append(inWord ? letter : capital(letter))
                inWord = true
            case 0x30...0x39: initials.append(UInt8(scalar.value)); whole.append(UInt8(scalar.value)); inWord = false
            default: inWord = false
            }
        }
        return String(decoding: initials + whole, as: UTF8.self)
    }

    private static func capital(_ letter: UInt8) -> UInt8 { letter >= 0x61 && letter <= 0x7A ? letter - 0x20 : letter }

    /// Each letter's block of places: the Latin letter first, then the Chinese characters filed
    /// under it (fewer than 65,536 of them).
    static func letterBase(_ letter: Int) -> UInt32 { 0x100 + UInt32(letter) << 16 }

    /// The letter (0 for a, …) the character of pinyin rank `rank` is filed under.
    static func letter(ofRank rank: Int) -> Int {
        var letter = 0
        while letter + 1 < PinyinOrderData.letterStarts.count && PinyinOrderData.letterStarts[letter + 1] <= rank { letter += 1 }
        return letter
    }

    /// Where one character sorts.
    static func ordinal(_ scalar: Unicode.Scalar) -> UInt32 {
        let v = scalar.value
        switch v {
        case 0x41...0x5A: return letterBase(Int(v - 0x41))
        case 0x61...0x7A: return letterBase(Int(v - 0x61))
        case PinyinOrderData.first...PinyinOrderData.last where places.count > Int(v - PinyinOrderData.first):
            return places[Int(v - PinyinOrderData.first)]
        case 0..<0x80: return v
        case 0xC0...0x24F:  // Latin with accents (Éclair) files under its letter
            if let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars.first, base.value < 0x80, base != scalar {
                return ordinal(base)
            }
            return 0x0100_0000 + v
        default: return 0x0100_0000 + v  // other scripts after, in code point order
        }
    }

    /// Characters read otherwise in the words company names are made of than alone (the order
    /// files each character under one reading): each word sorts as a word of that reading.
    static let readings: [(word: String, as: String)] = [
        ("重庆", "崇庆"),                                                   // chóng, not zhòng
        ("长沙", "常沙"), ("长春", "常春"), ("长城", "常城"), ("长江", "常江"), ("长安", "常安"),  // cháng, not zhǎng
        ("银行", "银航"),                                                   // háng, not xíng
        ("厦门", "夏门"),                                                   // xià, not shà
    ]
    /// The characters read otherwise in those words (a name without them is read as it is).
    static let otherwiseRead: Set<UInt32> = [0x91CD, 0x957F, 0x884C, 0x53A6]  // 重 长 行 厦

    /// `name` with the words of `readings` read as they are in them.
    static func asRead(_ name: String) -> String {
        let name = name.halfWidth  // ａｂｃ as abc
        guard name.unicodeScalars.contains(where: { $0.value >= 0x4E00 && otherwiseRead.contains($0.value) }) else { return name }
        // One pass over the characters, not a Foundation replacement per word: 50,000 names
        // are read so when the customers panel is built. The words are pairs that cannot
        // overlap (no word's second character starts one), so left to right is the same.
        var read = String.UnicodeScalarView()
        var scalars = name.unicodeScalars.makeIterator()
        var pending = scalars.next()
        while let scalar = pending {
            pending = scalars.next()
            if let next = pending, let pair = readingPairs[Pair(scalar.value, next.value)] {
                read.append(pair.first); read.append(pair.second)
                pending = scalars.next()
            } else {
                read.append(scalar)
            }
        }
        return String(read)
    }

    private struct Pair: Hashable {
        let first: UInt32, second: UInt32
        init(_ first: UInt32, _ second: UInt32) { self.first = first; self.second = second }
    }
    /// `readings` by their two characters.
    private static let readingPairs: [Pair: (first: Unicode.Scalar, second: Unicode.Scalar)] = {
        var pairs: [Pair: (first: Unicode.Scalar, second: Unicode.Scalar)] = [:]
        for (word, read) in readings {
            let w = Array(word.unicodeScalars), r = Array(read.unicodeScalars)
            precondition(w.count == 2 && r.count == 2, "a reading is a word of two characters")
            pairs[Pair(w[0].value, w[1].value)] = (r[0], r[1])
        }
        return pairs
    }()

    /// `name` as the places of its characters: compared element by element, names sort in
    /// pinyin order.
    static func key(_ name: String) -> [UInt32] { asRead(name).unicodeScalars.map(ordinal) }

    /// The first six places packed into three words, which settle nearly every comparison.
    static func prefix(of key: [UInt32]) -> (UInt64, UInt64, UInt64) {
        func place(_ index: Int) -> UInt64 { index < key.count ? UInt64(key[index]) : 0 }
        return (place(0) << 32 | place(1), place(2) << 32 | place(3), place(4) << 32 | place(5))
    }
}
