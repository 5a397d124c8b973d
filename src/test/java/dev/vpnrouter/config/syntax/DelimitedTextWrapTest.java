package dev.vpnrouter.config.syntax;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Found by fuzzing: a banner whose text contains "^C" was written back as "^C...^C" and no longer loaded. */
class DelimitedTextWrapTest {
    @Test
    void wrapsInCaretCUnlessTheTextContainsIt() {
        assertThat(DelimitedText.wrap("Authorized users only")).isEqualTo("^CAuthorized users only^C");
        String tricky = "closed by its delimiter '^C' # ok";
        String written = DelimitedText.wrap(tricky);
        assertThat(written).isEqualTo("$" + tricky + "$"); // not "!", which starts a comment line
        DelimitedText read = DelimitedText.open(written);
        assertThat(read.closed()).isTrue();
        assertThat(read.content()).isEqualTo(tricky);
    }
}
