package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/iamguard/iamguard/shared/finding"
	"github.com/iamguard/iamguard/shared/notify"
)

// Block Kit limits, in characters (https://api.slack.com/reference/block-kit).
const (
	maxHeader      = 150   // header block: plain_text
	maxField       = 2000  // each section field
	maxSection     = 3000  // section text
	maxContextText = 2000  // kept under the 3000 of a text object, as context renders small
	maxText        = 3900  // top-level text, which Slack advises to keep under 4,000
	maxPlainText   = 39000 // top-level text of a plain message: Slack cuts at 40,000
)

// message is a Slack incoming-webhook payload.
type message struct {
	Text   string  `json:"text"`
	Blocks []block `json:"blocks,omitempty"`
}

type block struct {
	Type     string `json:"type"`
	Text     *text  `json:"text,omitempty"`
	Fields   []text `json:"fields,omitempty"`
	Elements []text `json:"elements,omitempty"`
}

type text struct {
	Type string `json:"type"` // plain_text or mrkdwn
	Text string `json:"text"`
}

func mrkdwn(s string) text { return text{Type: "mrkdwn", Text: s} }

// alertMessage lays an alert out as Block Kit: a header with the severity
// and summary; who, where, when and the outcome side by side; the reasons;
// and, in small print, the commands to run and the CloudTrail link. Text
// is the notification fallback.
func alertMessage(a finding.Alert) message {
	f, o := a.Finding, a.Outcome
	title := notify.Title(a)

	who := fmt.Sprintf("*Who*\n%s (%s)\nfrom %s, MFA %s", code(orUnknown(f.Actor)), esc(orUnknown(f.ActorType)), code(orUnknown(f.SourceIP)), yesNo(f.MFA))
	where := fmt.Sprintf("*Where*\naccount %s\nregion %s", code(orUnknown(f.Account)), code(orUnknown(f.Region)))
	when := "*When*\n" + f.EventTime.UTC().Format("2006-01-02 15:04:05 UTC")
	if f.EventTime.IsZero() {
		when = "*When*\nunknown"
	}
	outcome := "*iamguard*\n" + esc(notify.StatusText(o))
	if o.Reason != "" {
		outcome += "\n" + esc(o.Reason)
	}
	if o.Exemption != "" {
		outcome += "\nexemption: " + esc(o.Exemption)
	}
	if o.Error != "" {
		outcome += "\nerror: " + code(o.Error)
	}

	blocks := []block{
		{Type: "header", Text: &text{Type: "plain_text", Text: cut(title, maxHeader)}},
		{Type: "section", Fields: []text{
			mrkdwn(cut(who, maxField)), mrkdwn(cut(where, maxField)),
			mrkdwn(cut(when, maxField)), mrkdwn(cut(outcome, maxField)),
		}},
	}

	var why []string
	if f.Target != "" {
		why = append(why, "*Target* "+code(f.Target))
	}
	for _, r := range f.Reasons {
		why = append(why, "• "+esc(r))
	}
	if f.Unresolved != "" {
		why = append(why, "*Unresolved:* "+esc(f.Unresolved))
	}
	if p := f.Policy; p != nil && (p.ARN != "" || p.Name != "") {
		name := p.ARN
		if name == "" {
			name = p.Name
		}
		line := "*Policy* " + code(name)
		if p.VersionID != "" {
			line += " version " + code(p.VersionID)
		}
		why = append(why, line)
	}
	if len(why) > 0 {
		blocks = append(blocks, block{Type: "section", Text: &text{Type: "mrkdwn",
			Text: cutLines("*Why*\n"+strings.Join(why, "\n"), maxSection)}})
	}

	var small []text
	cmds := notify.Commands(a)
	for _, c := range cmds {
		small = append(small, mrkdwn(commandText(c)))
	}
	if len(cmds) == 0 && f.RemediationNote != "" {
		small = append(small, mrkdwn(cut(esc(f.RemediationNote), maxContextText)))
	}
	small = append(small, mrkdwn(fmt.Sprintf("<%s|Open the event in CloudTrail> · rule %s · %s · event %s",
		notify.ConsoleURL(f), code(orUnknown(f.Rule)), esc(orUnknown(a.Function)), code(orUnknown(f.EventID)))))
	blocks = append(blocks, block{Type: "context", Elements: small})

	return message{Text: cut(esc(title), maxText), Blocks: blocks}
}

// commandText shows a command as code, or says where to find it when it is
// too long for Slack or holds characters Slack formatting would change: a
// command shown must be the command.
func commandText(c notify.Command) string {
	s := c.Label + ": " + code(c.Command)
	switch {
	case c.Command == "" || utf8.RuneCountInString(s) > maxContextText:
		return c.Label + ": the command is too long for Slack; see the email alert."
	case strings.ContainsAny(c.Command, "`\n\r"):
		return c.Label + ": the command holds characters Slack would alter; see the email alert."
	}
	return s
}

// textMessage posts a message that is not an iamguard alert as it is, so
// that nothing published to the topic is lost.
func textMessage(subject, body string) message {
	s := esc(body)
	if subject != "" {
		s = "*" + esc(notify.OneLine(subject)) + "*\n" + s
	}
	if s == "" {
		s = "(empty SNS message)"
	}
	return message{Text: cut(s, maxPlainText)}
}

// esc escapes the three characters Slack's mrkdwn gives meaning to, so that
// a CloudTrail field cannot mention the channel (<!channel>) or add a link.
func esc(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// code shows a value as inline code: escaped, on one line, and with its
// backticks made quotes so that it cannot close the span.
func code(s string) string {
	return "`" + strings.NewReplacer("`", "'", "\n", " ", "\r", " ").Replace(esc(s)) + "`"
}

func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// cutLines cuts at a line break near the limit when there is one.
func cutLines(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	const note = "… (cut to fit Slack; the email alert has everything)"
	keep := string([]rune(s)[:n-utf8.RuneCountInString(note)-1])
	if i := strings.LastIndexByte(keep, '\n'); i > len(keep)/2 {
		keep = keep[:i]
	}
	return keep + "\n" + note
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// marshal encodes without HTML escaping, which Slack does not need.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
