package rules

import (
	"strings"
	"unicode"
)

// NewStep builds a Step from an IAM action and ordered parameter pairs
// (name, value, name, value...): the parameters, and the AWS CLI command with
// every value quoted for a POSIX shell (names and ARNs come from events, so
// an attacker chooses them). The order is kept in the command so that it
// reads the way a person would type it.
func NewStep(action string, kv ...string) Step { return newStep(action, kv...) }

func newStep(action string, kv ...string) Step {
	params := make(map[string]string, len(kv)/2)
	var cmd strings.Builder
	service, op, _ := strings.Cut(action, ":")
	cmd.WriteString("aws ")
	cmd.WriteString(service)
	cmd.WriteByte(' ')
	cmd.WriteString(kebab(op))
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i]] = kv[i+1]
		cmd.WriteString(" --")
		cmd.WriteString(kebab(kv[i]))
		cmd.WriteByte(' ')
		cmd.WriteString(shellQuote(kv[i+1]))
	}
	return Step{Action: action, Parameters: params, Command: cmd.String()}
}

// kebab turns an API name such as AccessKeyId into the CLI's access-key-id.
func kebab(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell when it holds anything beyond the
// characters that are always safe unquoted.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_-./:=@+,", r)))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
