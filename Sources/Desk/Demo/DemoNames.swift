/// Word lists for realistic demo customers: Chinese companies and people, and Latin-named firms.
enum DemoNames {
    static let cities = ["上海", "北京", "深圳", "广州", "杭州", "成都", "苏州", "南京", "武汉", "天津", "重庆", "宁波"]
    static let syllables = ["华", "恒", "瑞", "鑫", "泰", "嘉", "宏", "盛", "达", "兴", "创", "联", "金", "通", "信", "安"]
    static let trades = ["科技", "贸易", "电子", "机械", "物流", "医药", "食品", "建材", "化工", "纺织", "包装", "汽配"]
    static let surnames = ["张", "王", "李", "赵", "陈", "刘", "杨", "黄", "周", "吴"]
    static let givenNames = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇", "艳", "杰", "军", "霞"]
    static let latinFirst = ["Acme", "Northwind", "Blue Harbor", "Greenfield", "Summit", "Pioneer", "Atlas", "Meridian",
                             "Silverline", "Redwood", "Oakridge", "Harbor Point"]
    static let latinLast = ["Trading", "Logistics", "Foods", "Electronics", "Machinery", "Textiles", "Pharma", "Packaging"]
    static let latinSuffix = ["Ltd", "GmbH", "Inc", "Pte Ltd", "LLC"]
    static let latinPeople = ["Anna Berg", "Tom Fischer", "Maria Rossi", "John Carter", "Lena Weber", "Paul Martin"]
    static let collectors = ["wang.fang", "li.na", "zhang.wei", "chen.jie"]
    static let disputeReasons = ["货物破损 damaged goods", "价格不符 price differs from order", "未收到货 goods not received",
                                 "数量短缺 short delivery"]
    static let returnReasons = ["汇票退票 draft returned unpaid", "账户余额不足 insufficient funds", "付款被银行退回 recalled by the bank"]
    /// A call's or note's words, by slot: a Chinese customer's in Chinese, another's in English
    /// (an English note on a Chinese customer read oddly on a Chinese screen).
    static let callNotes = ["财务说本周安排付款", "付款正在审批中", "经理出差，下周回电",
                            "会与应付账款部门核实", "要求重新发送发票", "本月资金紧张"]
    static let latinCallNotes = ["Finance will schedule payment this week", "Customer says payment is in approval", "Manager travelling, call back next week",
                                 "Will check with accounts payable", "Asked for the invoice to be sent again", "Cash flow tight this month"]

    /// The notes for a customer of that name (Chinese by its first character).
    static func notes(for name: String) -> [String] {
        name.unicodeScalars.first.map { $0.value >= 0x4E00 && $0.value <= 0x9FFF } == true ? callNotes : latinCallNotes
    }

    static func company(_ rng: inout SeededRandom, chinese: Bool) -> String {
        if chinese {
            return rng.pick(cities) + rng.pick(syllables) + rng.pick(syllables) + rng.pick(trades) + "有限公司"
        }
        return "\(rng.pick(latinFirst)) \(rng.pick(latinLast)) \(rng.pick(latinSuffix))"
    }

    static func person(_ rng: inout SeededRandom, chinese: Bool) -> String {
        chinese ? rng.pick(surnames) + rng.pick(givenNames) + (rng.chance(40) ? rng.pick(givenNames) : "") : rng.pick(latinPeople)
    }
}
