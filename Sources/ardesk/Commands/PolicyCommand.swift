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
            let policy = folder.exists ? try PolicyFile.load(folder: folder) : .standard
            print(PolicyFile.render(policy), terminator: "")
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
