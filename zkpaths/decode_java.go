package zkpaths

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Java library behaviour Kafka's readers rely on: Integer.parseInt and
// Long.parseLong, Uuid.fromString (java.util.Base64's URL decoder), and
// Sanitizer (java.net.URLEncoder/URLDecoder).

// javaDigit is Character.digit(ch, radix) for the characters Java accepts:
// ASCII and full-width Latin letters, and decimal digits of any script in the
// Basic Multilingual Plane (Java parses one UTF-16 unit at a time). It
// returns -1 for anything else.
func javaDigit(r rune, radix int) int {
	d := -1
	switch {
	case r >= '0' && r <= '9':
		d = int(r - '0')
	case r >= 'a' && r <= 'z':
		d = int(r-'a') + 10
	case r >= 'A' && r <= 'Z':
		d = int(r-'A') + 10
	case r >= 0xFF21 && r <= 0xFF3A: // full-width A–Z
		d = int(r-0xFF21) + 10
	case r >= 0xFF41 && r <= 0xFF5A: // full-width a–z
		d = int(r-0xFF41) + 10
	case r <= 0xFFFF && unicode.Is(unicode.Nd, r):
		// Decimal digits come in runs that start at a zero.
		z := r
		for unicode.Is(unicode.Nd, z-1) {
			z--
		}
		d = int(r-z) % 10
	}
	if d >= radix {
		return -1
	}
	return d
}

// parseJavaInt is Integer.parseInt (bits 32) or Long.parseLong (bits 64) in
// the given radix: an optional '-' or '+', then one or more digits, nothing
// else (no spaces). Scala's "…".toInt and toLong are the same functions.
func parseJavaInt(s string, bits, radix int) (int64, error) {
	bad := fmt.Errorf("%s is not a %d-bit integer", quote(s), bits)
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if s == "" {
		return 0, bad
	}
	limit := uint64(1)<<(bits-1) - 1
	if neg {
		limit++
	}
	var acc uint64
	for _, r := range s {
		d := javaDigit(r, radix)
		if d < 0 || acc > (limit-uint64(d))/uint64(radix) {
			return 0, bad
		}
		acc = acc*uint64(radix) + uint64(d)
	}
	if neg {
		return -int64(acc-1) - 1, nil // -(2^63) without overflow
	}
	return int64(acc), nil
}

// javaURLBase64 is Base64.getUrlDecoder().decode: padding optional but
// exact when present, no line breaks, unused bits not checked.
func javaURLBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "\r\n") {
		return nil, errors.New("illegal base64 character")
	}
	if i := strings.IndexByte(s, '='); i >= 0 {
		pad := s[i:]
		if !(pad == "=" && i%4 == 3 || pad == "==" && i%4 == 2) {
			return nil, errors.New("bad base64 padding")
		}
		s = s[:i]
	}
	return base64.RawURLEncoding.DecodeString(s)
}

// ParseKafkaUUID is Kafka's Uuid.fromString: at most 24 characters of
// URL-safe base64 that decode to exactly 16 bytes.
func ParseKafkaUUID(s string) ([16]byte, error) {
	var u [16]byte
	if len(utf16.Encode([]rune(s))) > 24 {
		return u, fmt.Errorf("%s is too long for a base64 UUID (at most 24 characters)", quote(s))
	}
	b, err := javaURLBase64(s)
	if err != nil {
		return u, fmt.Errorf("%s is not URL-safe base64", quote(s))
	}
	if len(b) != 16 {
		return u, fmt.Errorf("%s decodes to %d bytes, want 16", quote(s), len(b))
	}
	copy(u[:], b)
	return u, nil
}

// FormatKafkaUUID is Uuid.toString: 22 characters, URL-safe, no padding.
func FormatKafkaUUID(u [16]byte) string { return base64.RawURLEncoding.EncodeToString(u[:]) }

// isGeneratedUUID reports whether s is what Kafka generates for cluster,
// topic and token ids: exactly 22 URL-safe base64 characters, 16 bytes.
func isGeneratedUUID(s string) bool {
	if len(s) != 22 {
		return false
	}
	b, err := base64.RawURLEncoding.Strict().DecodeString(s)
	return err == nil && len(b) == 16
}

// Sanitize is Kafka's Sanitizer.sanitize, used for user and client-id
// config entity names and token principals: URL-encoding in UTF-8, with
// space as %20 (never '+') and '*' as %2A.
func Sanitize(name string) string {
	var b strings.Builder
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '.', c == '-', c == '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// Desanitize is Kafka's Sanitizer.desanitize, i.e. java.net.URLDecoder: '+'
// is a space, runs of %XX are UTF-8 bytes, and a bad escape is an error
// (IllegalArgumentException in Kafka).
func Desanitize(name string) (string, error) {
	if !strings.ContainsAny(name, "%+") {
		return strings.ToValidUTF8(name, string(utf8.RuneError)), nil // as a Java String would hold it
	}
	rs := []rune(name)
	var out strings.Builder
	for i := 0; i < len(rs); {
		switch rs[i] {
		case '+':
			out.WriteByte(' ')
			i++
		case '%':
			var buf []byte
			for i+2 < len(rs) && rs[i] == '%' {
				v, err := parseJavaInt(string(rs[i+1:i+3]), 32, 16)
				if err != nil || v < 0 {
					return "", fmt.Errorf("%s has a bad %%-escape", quote(name))
				}
				buf = append(buf, byte(v))
				i += 3
			}
			if i < len(rs) && rs[i] == '%' {
				return "", fmt.Errorf("%s ends in an incomplete %%-escape", quote(name))
			}
			out.WriteString(strings.ToValidUTF8(string(buf), string(utf8.RuneError)))
		default:
			out.WriteRune(rs[i])
			i++
		}
	}
	return out.String(), nil
}

// parseKafkaPrincipal is SecurityUtils.parseKafkaPrincipal: "type:name",
// split at the first ':'.
func parseKafkaPrincipal(s string) error {
	if !strings.Contains(s, ":") {
		return fmt.Errorf("principal %s is not in the form type:name", quote(s))
	}
	return nil
}

// javaUpperRoot is String.toUpperCase(Locale.ROOT), which Kafka uses to
// normalise listener names, security protocols, resource types, operations
// and permission types. It differs from strings.ToUpper where Unicode's
// SpecialCasing expands a character: "ß" is "SS", "ﬆ" is "ST" (so Java reads
// "CLUﬆER" as CLUSTER). The table is what JDK 17 printed for every code
// point whose upper case is longer than one character.
func javaUpperRoot(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		if x, ok := javaSpecialUpper[r]; ok {
			b.WriteString(x)
		} else {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

var javaSpecialUpper = map[rune]string{
	0x00DF: "\u0053\u0053", 0x0149: "\u02BC\u004E", 0x01F0: "\u004A\u030C", 0x0390: "\u0399\u0308\u0301",
	0x03B0: "\u03A5\u0308\u0301", 0x0587: "\u0535\u0552", 0x1E96: "\u0048\u0331", 0x1E97: "\u0054\u0308",
	0x1E98: "\u0057\u030A", 0x1E99: "\u0059\u030A", 0x1E9A: "\u0041\u02BE", 0x1F50: "\u03A5\u0313",
	0x1F52: "\u03A5\u0313\u0300", 0x1F54: "\u03A5\u0313\u0301", 0x1F56: "\u03A5\u0313\u0342", 0x1F80: "\u1F08\u0399",
	0x1F81: "\u1F09\u0399", 0x1F82: "\u1F0A\u0399", 0x1F83: "\u1F0B\u0399", 0x1F84: "\u1F0C\u0399",
	0x1F85: "\u1F0D\u0399", 0x1F86: "\u1F0E\u0399", 0x1F87: "\u1F0F\u0399", 0x1F88: "\u1F08\u0399",
	0x1F89: "\u1F09\u0399", 0x1F8A: "\u1F0A\u0399", 0x1F8B: "\u1F0B\u0399", 0x1F8C: "\u1F0C\u0399",
	0x1F8D: "\u1F0D\u0399", 0x1F8E: "\u1F0E\u0399", 0x1F8F: "\u1F0F\u0399", 0x1F90: "\u1F28\u0399",
	0x1F91: "\u1F29\u0399", 0x1F92: "\u1F2A\u0399", 0x1F93: "\u1F2B\u0399", 0x1F94: "\u1F2C\u0399",
	0x1F95: "\u1F2D\u0399", 0x1F96: "\u1F2E\u0399", 0x1F97: "\u1F2F\u0399", 0x1F98: "\u1F28\u0399",
	0x1F99: "\u1F29\u0399", 0x1F9A: "\u1F2A\u0399", 0x1F9B: "\u1F2B\u0399", 0x1F9C: "\u1F2C\u0399",
	0x1F9D: "\u1F2D\u0399", 0x1F9E: "\u1F2E\u0399", 0x1F9F: "\u1F2F\u0399", 0x1FA0: "\u1F68\u0399",
	0x1FA1: "\u1F69\u0399", 0x1FA2: "\u1F6A\u0399", 0x1FA3: "\u1F6B\u0399", 0x1FA4: "\u1F6C\u0399",
	0x1FA5: "\u1F6D\u0399", 0x1FA6: "\u1F6E\u0399", 0x1FA7: "\u1F6F\u0399", 0x1FA8: "\u1F68\u0399",
	0x1FA9: "\u1F69\u0399", 0x1FAA: "\u1F6A\u0399", 0x1FAB: "\u1F6B\u0399", 0x1FAC: "\u1F6C\u0399",
	0x1FAD: "\u1F6D\u0399", 0x1FAE: "\u1F6E\u0399", 0x1FAF: "\u1F6F\u0399", 0x1FB2: "\u1FBA\u0399",
	0x1FB3: "\u0391\u0399", 0x1FB4: "\u0386\u0399", 0x1FB6: "\u0391\u0342", 0x1FB7: "\u0391\u0342\u0399",
	0x1FBC: "\u0391\u0399", 0x1FC2: "\u1FCA\u0399", 0x1FC3: "\u0397\u0399", 0x1FC4: "\u0389\u0399",
	0x1FC6: "\u0397\u0342", 0x1FC7: "\u0397\u0342\u0399", 0x1FCC: "\u0397\u0399", 0x1FD2: "\u0399\u0308\u0300",
	0x1FD3: "\u0399\u0308\u0301", 0x1FD6: "\u0399\u0342", 0x1FD7: "\u0399\u0308\u0342", 0x1FE2: "\u03A5\u0308\u0300",
	0x1FE3: "\u03A5\u0308\u0301", 0x1FE4: "\u03A1\u0313", 0x1FE6: "\u03A5\u0342", 0x1FE7: "\u03A5\u0308\u0342",
	0x1FF2: "\u1FFA\u0399", 0x1FF3: "\u03A9\u0399", 0x1FF4: "\u038F\u0399", 0x1FF6: "\u03A9\u0342",
	0x1FF7: "\u03A9\u0342\u0399", 0x1FFC: "\u03A9\u0399", 0xFB00: "\u0046\u0046", 0xFB01: "\u0046\u0049",
	0xFB02: "\u0046\u004C", 0xFB03: "\u0046\u0046\u0049", 0xFB04: "\u0046\u0046\u004C", 0xFB05: "\u0053\u0054",
	0xFB06: "\u0053\u0054", 0xFB13: "\u0544\u0546", 0xFB14: "\u0544\u0535", 0xFB15: "\u0544\u053B",
	0xFB16: "\u054E\u0546", 0xFB17: "\u0544\u053D",
}

// zkValidatePath is ZooKeeper's PathUtils.validatePath, which the client
// runs on every path before a request is sent: a path Kafka builds from a
// notification (a config change's entity, an ACL change's resource) that
// fails it makes the read throw IllegalArgumentException. It works on UTF-16
// units: every character outside the Basic Multilingual Plane (a surrogate)
// is invalid, and so are U+FFFD and the private use area. Checked against
// ZooKeeper 3.8's jar.
func zkValidatePath(p string) error {
	switch {
	case p == "":
		return errors.New("path length must be > 0")
	case p[0] != '/':
		return errors.New("path must start with / character")
	case p == "/":
		return nil
	case strings.HasSuffix(p, "/"):
		return errors.New("path must not end with / character")
	}
	u := utf16.Encode([]rune(p))
	for i := 1; i < len(u); i++ {
		c, last := u[i], u[i-1]
		relative := func(start int) bool { return u[start] == '/' && (i+1 == len(u) || u[i+1] == '/') }
		switch {
		case c == 0:
			return fmt.Errorf("null character not allowed @%d", i)
		case c == '/' && last == '/':
			return fmt.Errorf("empty node name specified @%d", i)
		case c == '.' && last == '.':
			if relative(i - 2) {
				return fmt.Errorf("relative paths not allowed @%d", i)
			}
		case c == '.':
			if relative(i - 1) {
				return fmt.Errorf("relative paths not allowed @%d", i)
			}
		case c <= 0x1F || c >= 0x7F && c <= 0x9F || c >= 0xD800 && c <= 0xF8FF || c >= 0xFFF0:
			return fmt.Errorf("invalid character @%d", i)
		}
	}
	return nil
}

// unreadablePath is the verdict on a notification whose znode path, as
// Kafka builds it from the content, fails zkValidatePath: the read throws
// IllegalArgumentException before any request is sent, and the
// notification listener logs the error and skips the notification.
func unreadablePath(p string) *DecodeError {
	if err := zkValidatePath(p); err != nil {
		return ignores("brokers would read %s, which ZooKeeper's client refuses (%v): they log an error and skip the notification", strconv.Quote(p), err)
	}
	return nil
}
