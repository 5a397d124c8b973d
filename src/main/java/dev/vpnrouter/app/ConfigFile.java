package dev.vpnrouter.app;

import dev.vpnrouter.config.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code write memory}: the running configuration back into the file {@code run} read, atomically (a temporary
 * file in the same directory, then a rename) and keeping the previous version as {@code FILE.bak}. Both hold the
 * keys and passwords: both are written 0600, whatever mode the old file had.
 */
final class ConfigFile {
    private ConfigFile() {
    }

    /** Returns the file written, for the exec session's message. */
    static String save(Path file, String text) throws IOException {
        Path target = file.toAbsolutePath();
        if (Files.exists(target)) {
            PrivateFiles.write(target.resolveSibling(target.getFileName() + ".bak"), Files.readAllBytes(target));
        }
        PrivateFiles.write(target, text);
        return file.toString();
    }
}
