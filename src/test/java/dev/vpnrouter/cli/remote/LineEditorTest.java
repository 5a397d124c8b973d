package dev.vpnrouter.cli.remote;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The vty's character terminal: keys in, echo and requests out. */
class LineEditorTest {
    private static List<LineEditor.Event> type(LineEditor e, String keys, boolean echo) {
        List<LineEditor.Event> out = new ArrayList<>();
        for (char c : keys.toCharArray()) {
            LineEditor.Event ev = e.feed(c, echo);
            if (!(ev instanceof LineEditor.Event.None)) {
                out.add(ev);
            }
        }
        return out;
    }

    @Test
    void enterSubmitsAndCrLfCountsOnce() {
        LineEditor e = new LineEditor();
        assertThat(type(e, "sh ver\r\n", true)).endsWith(new LineEditor.Event.Submit("sh ver"));
        assertThat(type(e, "\n", true)).containsExactly(new LineEditor.Event.Submit(""));
    }

    @Test
    void editingKeys() {
        LineEditor e = new LineEditor();
        assertThat(type(e, "shoe\u007fw", true)).contains(new LineEditor.Event.Echo("\b \b"));
        assertThat(e.line()).isEqualTo("show");
        assertThat(type(e, "\u0015", true)).containsExactly(new LineEditor.Event.Echo("\b \b".repeat(4)));
        assertThat(type(e, "x\u0003", true)).endsWith(new LineEditor.Event.Abandon());
        assertThat(e.line()).isEmpty();
        assertThat(type(e, "\u0004", true)).containsExactly(new LineEditor.Event.Eof());
        assertThat(type(e, "a\u001b[Db", true)).containsExactly(new LineEditor.Event.Echo("a"),
                new LineEditor.Event.Echo("b")); // the arrow key is swallowed
    }

    @Test
    void questionMarkAndTabAskTheSession() {
        LineEditor e = new LineEditor();
        assertThat(type(e, "sh cry?", true)).endsWith(new LineEditor.Event.Help("sh cry"));
        assertThat(type(e, "\t", true)).containsExactly(new LineEditor.Event.Complete("sh cry"));
    }

    @Test
    void passwordsAreNotEchoedAndMayContainQuestionMarks() {
        LineEditor e = new LineEditor();
        assertThat(type(e, "pa?s\t", false)).isEmpty();
        assertThat(type(e, "\r", false)).containsExactly(new LineEditor.Event.Submit("pa?s"));
    }

    @Test
    void aLineStopsGrowingAtItsLimit() {
        LineEditor e = new LineEditor();
        type(e, "x".repeat(LineEditor.MAX_LINE + 10), false);
        assertThat(e.line()).hasSize(LineEditor.MAX_LINE);
    }
}
