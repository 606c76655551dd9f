package io.modax.fleet.cli;

/**
 * Text from the warehouse or the user made safe for a terminal: characters that a terminal acts
 * on instead of showing become visible {@code \}{@code uXXXX} escapes, so a location name cannot
 * clear the screen or recolour it (an ANSI escape starts with ESC), move the cursor back over a
 * line to forge another (CR), or reverse the order in which the rest of a line reads (Unicode
 * bidirectional overrides). Escaped: C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls
 * (U+0080–U+009F, among them the single-character CSI U+009B), the bidirectional embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069) and marks (U+200E, U+200F, U+061C), and the
 * Unicode line and paragraph separators (U+2028, U+2029). Everything else passes unchanged.
 *
 * <p>Stateless and thread-safe.
 */
final class TerminalText {
  private TerminalText() {}

  /** Whether the terminal acts on the character instead of showing it. */
  static boolean isActive(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e || c == 0x200f || c == 0x061c || c == 0x2028 || c == 0x2029;
  }

  /**
   * The text with every {@linkplain #isActive active} character escaped as {@code \}{@code uXXXX}
   * (lower-case hex); with {@code keepLineFeeds}, LF stays a line end.
   */
  static String escape(String text, boolean keepLineFeeds) {
    StringBuilder b = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (isActive(c) && !(keepLineFeeds && c == '\n')) {
        if (b == null) {
          b = new StringBuilder(text.length() + 16).append(text, 0, i);
        }
        b.append("\\u").append(Integer.toHexString(0x10000 | c).substring(1));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? text : b.toString();
  }
}
