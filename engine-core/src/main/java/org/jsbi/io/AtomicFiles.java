package org.jsbi.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Set;

/**
 * The pieces of an atomic save (write a temporary file beside the target, sync it, rename it onto the target) that
 * every jsbi file writer shares, so that a save replaces what the user named the way an editor does:
 * <ul>
 *   <li>through a symbolic link the file it points to is replaced, not the link (a link {@code current.jsbi ->
 *       run7.jsbi} still points to the new model afterwards, and {@code run7.jsbi} holds it);</li>
 *   <li>the new file keeps the permissions of the one it replaces, and a new file gets the process's default ones
 *       (0666 less the umask), where {@link Files#createTempFile} would have left every save readable by its owner
 *       only.</li>
 * </ul>
 */
final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    private AtomicFiles() {
    }

    /**
     * The file a save to {@code path} replaces: the end of its chain of symbolic links where it is one (whether or
     * not that file exists yet), else {@code path} itself, absolute.
     */
    static Path target(Path path) throws IOException {
        Path p = path.toAbsolutePath();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops == 40) throw new IOException("cannot write " + path + ": too many levels of symbolic links");
            p = p.resolveSibling(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    /**
     * A new empty hidden file in {@code target}'s directory for its next contents, with {@code target}'s POSIX
     * permissions where it exists (else the default ones of a new file).
     */
    static Path tempSibling(Path target) throws IOException {
        Path dir = target.getParent();
        if (dir == null) throw new IOException("cannot write " + target + ": it has no parent directory");
        Path tmp;
        while (true) {
            tmp = dir.resolve("." + target.getFileName() + "." + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                Files.createFile(tmp);
                break;
            } catch (FileAlreadyExistsException e) {
                // another name
            }
        }
        try {
            copyPermissions(target, tmp);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private static void copyPermissions(Path from, Path to) throws IOException {
        if (!Files.exists(from)) return;
        PosixFileAttributeView src = Files.getFileAttributeView(from, PosixFileAttributeView.class);
        PosixFileAttributeView dst = Files.getFileAttributeView(to, PosixFileAttributeView.class);
        if (src == null || dst == null) return;
        Set<PosixFilePermission> perms = src.readAttributes().permissions();
        dst.setPermissions(perms);
    }

    /** Renames {@code from} onto {@code to}, atomically where the file system can. */
    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            // A rename within one directory is atomic on every usual file system; where it is not, replace.
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Deletes {@code p} if it is there, keeping quiet about a failure (a hidden leftover beats a lost exception). */
    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // the caller's failure matters more
        }
    }
}
