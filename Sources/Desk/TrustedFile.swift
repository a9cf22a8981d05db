import Foundation

/// Files in a book's folder that decide what the book does for everyone (roles, the policy, the
/// letters' templates): only root or the book's owner may have written them. In a team's shared
/// folder a collector can create and replace files; such a file must not change a limit, an
/// interest rate or a letter's bank account for the whole team.
enum TrustedFile {
    /// Refuses `path` (`what` it is, for the sentence) when users other than its owner may write
    /// it, or when its owner is neither root nor the owner of `folder`.
    static func check(_ path: String, in folder: BookFolder, what: String) throws {
        var info = stat()
        // The entry itself, not what a link points at: a link to any file of the owner's (another
        // book's policy, the legal letter) would pass for it.
        guard lstat(path, &info) == 0 else { throw DeskError.invalid("cannot read \(path)") }
        if info.st_mode & S_IFMT == S_IFLNK {
            throw DeskError.notAllowed(Phrase("\(path) is a link; put the file itself there (\(what) is refused until then)",
                                              zh: "\(path) 是链接；请放置文件本身（在此之前该文件不被采用）"))
        }
        if info.st_mode & S_IWOTH != 0 || (info.st_mode & S_IWGRP != 0 && !isOwnersOwnGroup(info.st_gid, owner: info.st_uid)) {
            throw DeskError.notAllowed(Phrase("\(path) can be written by users other than its owner; run `chmod go-w \(path)` (\(what) is refused until then)",
                                              zh: "\(path) 可被其所有者以外的用户写入；请执行 `chmod go-w \(path)`（在此之前该文件不被采用）"))
        }
        // Owned by the user running ardesk is not enough: a collector who can write in a shared
        // folder could put a file of their own in place.
        if info.st_uid != 0 && !ownedByBookOwner(info.st_uid, folder: folder) {
            throw DeskError.notAllowed(Phrase("\(path) must belong to root or the book's owner (\(what) is refused until then)",
                                              zh: "\(path) 必须属于 root 或账簿所有者（在此之前该文件不被采用）"))
        }
    }

    /// Whether anything stands at `path`, a link to nowhere included (which `fileExists`, following
    /// it, denies: a dangling link put in place of the policy would quietly bring the defaults).
    static func entryExists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Whether `gid` is the owner's own group, with nobody else in it (a user private group, as
    /// Debian and Ubuntu make one for each user, whose umask 002 leaves new files group-writable):
    /// group-write there lets no one else in.
    static func isOwnersOwnGroup(_ gid: gid_t, owner uid: uid_t) -> Bool {
        guard let user = getpwuid(uid), user.pointee.pw_gid == gid, let group = getgrgid(gid) else { return false }
        guard String(cString: group.pointee.gr_name) == String(cString: user.pointee.pw_name) else { return false }
        let members = group.pointee.gr_mem
        return members == nil || members!.pointee == nil
    }

    static func ownedByBookOwner(_ uid: uid_t, folder: BookFolder) -> Bool {
        var info = stat()
        return stat(folder.path, &info) == 0 && info.st_uid == uid
    }
}
