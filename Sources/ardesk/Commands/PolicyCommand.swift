import ArgumentParser
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
            guard folder.exists else { print(PolicyFile.render(.standard), terminator: ""); return }
            let desk = try options.openDesk(readOnly: "showing the policy")
            print(PolicyFile.render(desk.policy, currency: desk.book.currency), terminator: "")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate a policy file without installing it.")
        @Argument(help: "The policy file.") var file: String
        func run() throws {
            let policy = try PolicyFile.load(path: file)
            print("\(file) is a valid policy (\(policy.dunningLevels.count) dunning levels, \(policy.collectionBuckets.count) aging buckets).")
        }
    }
}
