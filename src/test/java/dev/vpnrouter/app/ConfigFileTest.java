package dev.vpnrouter.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code write memory}'s file handling: atomic replacement, the previous version kept, both owner-only. */
class ConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void replacesTheFileAndKeepsABackup() throws Exception {
        Path cfg = dir.resolve("hub.cfg");
        Files.writeString(cfg, "hostname Old\n");
        assertThat(ConfigFile.save(cfg, "hostname New\n")).isEqualTo(cfg.toString());
        assertThat(Files.readString(cfg)).isEqualTo("hostname New\n");
        assertThat(Files.readString(dir.resolve("hub.cfg.bak"))).isEqualTo("hostname Old\n");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hub.cfg", "hub.cfg.bak");
        }
    }

    @Test
    void writesANewFileWithoutBackup() throws Exception {
        Path cfg = dir.resolve("new.cfg");
        ConfigFile.save(cfg, "end\n");
        assertThat(Files.readString(cfg)).isEqualTo("end\n");
        assertThat(dir.resolve("new.cfg.bak")).doesNotExist();
        assertThat(mode(cfg)).isEqualTo("rw-------");
    }

    @Test
    void theFileAndItsBackupAreOwnerOnlyWhateverTheOldFileWas() throws Exception {
        Path cfg = dir.resolve("hub.cfg");
        Files.writeString(cfg, "hostname Old\n");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-r--r--"));
        Path bak = dir.resolve("hub.cfg.bak");
        Files.writeString(bak, "hostname Older\n");
        Files.setPosixFilePermissions(bak, PosixFilePermissions.fromString("rw-rw-r--"));

        ConfigFile.save(cfg, "hostname New\n");

        assertThat(Files.readString(bak)).isEqualTo("hostname Old\n");
        assertThat(mode(bak)).isEqualTo("rw-------");
        assertThat(mode(cfg)).isEqualTo("rw-------");
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
