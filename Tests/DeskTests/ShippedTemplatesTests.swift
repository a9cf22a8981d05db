@testable import Desk
import Foundation
import Testing

/// The templates built into the program are the repository's `templates/`, and a program with
/// no template folder at hand still writes letters and statements.
@Suite struct ShippedTemplatesTests {
    @Test func theBuiltInCopiesAreTheTemplateFiles() throws {
        let folder = CLIRoot.path + "/templates"
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".mustache") }
        #expect(Set(files) == Set(ShippedTemplates.files.keys), "run .ci/embed-templates")
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            #expect(ShippedTemplates.files[file] == text, "\(file) differs from its built-in copy: run .ci/embed-templates")
        }
    }

    @Test func withoutAnyFolderTheBuiltInTemplatesAreUsed() throws {
        let library = TemplateLibrary(folders: ["/nonexistent-\(UUID().uuidString)"])
        #expect(library.has("statement.zh.md.mustache"))
        let text = try library.render("letter-reminder.en.md.mustache", ["customer": ["name": "Acme Ltd"], "contact": "Ms Li"])
        #expect(text.contains("Acme Ltd"))
        // The final notice speaks of earlier reminders only when there were any.
        for (language, earlier) in [("en", "Despite our earlier reminders, the following"), ("zh", "尽管我方此前已多次提醒，贵司以下")] {
            let first = try library.render("letter-final.\(language).md.mustache", ["reminded_before": false])
            let later = try library.render("letter-final.\(language).md.mustache", ["reminded_before": true])
            #expect(!first.contains(earlier) && later.contains(earlier), "\(language): \(first)")
        }
        #expect(try library.render("letter-final.en.md.mustache", ["reminded_before": false]).contains("The following invoices remain unpaid"))
        // A hold in place is said, not threatened.
        #expect(try library.render("letter-final.en.md.mustache", ["on_hold": true]).contains("Your account is on credit hold until it is paid"))
        #expect(try library.render("letter-final.zh.md.mustache", ["on_hold": false]).contains("我方将冻结贵司信用额度"))
        #expect(!library.has("letter-missing.en.md.mustache"))
        #expect(throws: DeskError.self) { try library.render("letter-missing.en.md.mustache", [:]) }
    }
}
