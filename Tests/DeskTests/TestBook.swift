import Core
import Desk
import Foundation

/// A fresh book in its own temporary folder, removed when the test is done with it.
final class TestBook {
    let folder: BookFolder
    let desk: Desk

    init(today: Day = Day(iso: "2026-03-01")!, user: String = "tester") throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ardesk-test-\(UUID().uuidString)").path
        folder = BookFolder(path: path)
        desk = try Desk.create(folder: folder, currency: .cny, today: today, user: user)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder.path) }

    func reopen(today: Day? = nil, user: String = "tester") throws -> Desk {
        try Desk.open(folder: folder, today: today ?? desk.today, user: user)
    }

    func write(_ name: String, _ text: String) -> String {
        let path = folder.path + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
}

func day(_ iso: String) -> Day { Day(iso: iso)! }
func cny(_ text: String) -> Money { Currency.cny.parse(text)! }
