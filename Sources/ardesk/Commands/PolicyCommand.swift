import ArgumentParser
import Core
import Desk

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy", abstract: "Show the effective policy or check a policy file.",
        subcommands: [Show.self, Check.self])

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the book's effective policy (policy.toml over the defaults).")
        @OptionGroup var options: BookOptions
        func run() throws {
            let folder = options.folder
            guard folder.exists else { throw folder.missing }
            let desk = try options.openDesk(readOnly: "showing the policy")
            print(PolicyFile.render(desk.policy, currency: desk.book.currency), terminator: "")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a policy file without installing it.")
        @Argument(help: "The policy file.") var file: String
        @Option(help: "Read amounts in this currency (default: the book's, else CNY).") var currency: String?
        @OptionGroup var options: BookOptions
        func run() throws {
            // Amounts mean the book's currency: "10.50" is no fee in a yen book.
            let money: Currency
            if let currency {
                guard let known = Currency(isoCode: Currency.isoCode(for: currency)) else { throw CLIError("--currency \(currency) is not an ISO 4217 currency code such as CNY, USD or JPY") }
                money = known
            } else if options.folder.exists {
                // A book whose own policy.toml is broken does not open: the fix can still be checked.
                do { money = try options.openDesk(readOnly: "checking a policy").book.currency } catch {
                    throw CLIError("\(error); to check \(file) without opening the book, give its currency: --currency CODE")
                }
            } else {
                money = .cny
            }
            let policy = try PolicyFile.load(path: file, currency: money)
            if let missing = Desk.missingLetterTemplate(policy: policy, folder: options.folder, file: file) { throw CLIError(missing) }
            print("\(file) is a valid policy (\(counted(policy.dunningLevels.count, "dunning level")), \(counted(policy.collectionBuckets.count, "aging bucket"))).")
            for note in PolicyFile.notes(policy) { print("note: " + note) }
        }
    }
}
