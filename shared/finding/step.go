package finding

import (
	"strings"
	"unicode"
)

// Step is one AWS API call, with its parameters and the equivalent AWS CLI
// command a person can run.
type Step struct {
	Action     string            `json:"action"` // service:Operation, such as "iam:UpdateAccessKey"
	Parameters map[string]string `json:"parameters"`
	Command    string            `json:"command"`
}

// NewStep builds a Step from an API action (service:Operation) and ordered
// parameter pairs (name, value, name, value...): the parameters, and the AWS
// CLI command with every value quoted for a POSIX shell (names and ARNs come
// from events, so an attacker chooses them). The order is kept in the command
// so that it reads the way a person would type it. A value "true" or "false"
// is a boolean, which the CLI takes as --name or --no-name.
func NewStep(action string, kv ...string) Step {
	params := make(map[string]string, len(kv)/2)
	var cmd strings.Builder
	service, op, _ := strings.Cut(action, ":")
	cmd.WriteString("aws ")
	if c, ok := cliService[service]; ok {
		cmd.WriteString(c)
	} else {
		cmd.WriteString(service)
	}
	cmd.WriteByte(' ')
	cmd.WriteString(kebab(op))
	for i := 0; i+1 < len(kv); i += 2 {
		params[kv[i]] = kv[i+1]
		switch kv[i+1] {
		// The CLI's booleans are flags: --enable and --no-enable.
		case "true":
			cmd.WriteString(" --" + kebab(kv[i]))
		case "false":
			cmd.WriteString(" --no-" + kebab(kv[i]))
		default:
			cmd.WriteString(" --")
			cmd.WriteString(kebab(kv[i]))
			cmd.WriteByte(' ')
			cmd.WriteString(ShellQuote(kv[i+1]))
		}
	}
	return Step{Action: action, Parameters: params, Command: cmd.String()}
}

// cliService maps an IAM service prefix to the AWS CLI's command where the
// two differ.
var cliService = map[string]string{"config": "configservice"}

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

// ShellQuote quotes s for a POSIX shell when it holds anything beyond the
// characters that are always safe unquoted. Every command iamguard prints
// quotes its values with it, so a value can be found again in the text.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("_-./:=@+,", r)))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
