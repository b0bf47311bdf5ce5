package notify

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/iamguard/iamguard/shared/finding"
)

// Limits of the Chatbot custom notification, in characters. See doc.go for
// why these values.
const (
	ChatbotMaxTitle       = 250
	ChatbotMaxDescription = 3_000
	ChatbotMaxNextStep    = 1_000
	ChatbotMaxSummary     = 250
)

// ChatbotNotification is an Amazon Q Developer in chat applications (AWS
// Chatbot) custom notification.
type ChatbotNotification struct {
	Version  string          `json:"version"` // always "1.0"
	Source   string          `json:"source"`  // always "custom"
	ID       string          `json:"id,omitempty"`
	Content  ChatbotContent  `json:"content"`
	Metadata ChatbotMetadata `json:"metadata"`
}

// ChatbotContent is what the chat channel shows.
type ChatbotContent struct {
	TextType    string   `json:"textType"` // always "client-markdown"
	Title       string   `json:"title"`
	Description string   `json:"description"`
	NextSteps   []string `json:"nextSteps,omitempty"`
	Keywords    []string `json:"keywords,omitempty"`
}

// ChatbotMetadata threads and labels the notification.
type ChatbotMetadata struct {
	ThreadID          string            `json:"threadId,omitempty"`
	Summary           string            `json:"summary,omitempty"`
	EventType         string            `json:"eventType,omitempty"`
	RelatedResources  []string          `json:"relatedResources,omitempty"`
	AdditionalContext map[string]string `json:"additionalContext,omitempty"`
}

// ChatbotJSON returns the alert as a Chatbot custom notification.
func ChatbotJSON(a finding.Alert) ([]byte, error) {
	b, err := marshal(Chatbot(a))
	if err != nil {
		return nil, fmt.Errorf("encode chatbot notification for event %s: %w", a.Finding.EventID, err)
	}
	return b, nil
}

// Chatbot returns the alert as a Chatbot custom notification, its texts cut
// to the limits above.
func Chatbot(a finding.Alert) ChatbotNotification {
	f := a.Finding
	title := chatText(Title(a))
	ctx := map[string]string{
		"eventID":  f.EventID,
		"severity": f.Severity.String(),
		"status":   string(a.Outcome.Status),
	}
	for k, v := range ctx {
		if v == "" {
			delete(ctx, k)
		}
	}
	return ChatbotNotification{
		Version: "1.0",
		Source:  "custom",
		ID:      f.EventID,
		Content: ChatbotContent{
			TextType:    "client-markdown",
			Title:       cutRunes(title, ChatbotMaxTitle),
			Description: chatbotDescription(a),
			NextSteps:   chatbotNextSteps(a),
			Keywords:    nonEmpty(f.Severity.String(), f.Rule, f.Account),
		},
		Metadata: ChatbotMetadata{
			ThreadID:          f.Rule + ":" + f.Target,
			Summary:           cutRunes(severityLabel(a)+" "+f.Summary, ChatbotMaxSummary),
			EventType:         f.Rule,
			RelatedResources:  nonEmpty(f.Target, f.Actor, policyARN(a)),
			AdditionalContext: ctx,
		},
	}
}

func chatbotDescription(a finding.Alert) string {
	f, o := a.Finding, a.Outcome
	var b strings.Builder
	line := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	line("*What:* %s", chatText(orUnknown(f.Summary)))
	line("*Who:* %s (%s) from %s, MFA: %s", code(orUnknown(f.Actor)), chatText(orUnknown(f.ActorType)), code(orUnknown(f.SourceIP)), yesNo(f.MFA))
	line("*Where:* account %s, region %s", code(orUnknown(f.Account)), code(orUnknown(f.Region)))
	line("*When:* %s", when(f))
	line("*iamguard:* %s", chatText(StatusText(o)))
	if o.Reason != "" {
		line("*Reason:* %s", chatText(o.Reason))
	}
	if o.Exemption != "" {
		line("*Exemption:* %s", chatText(o.Exemption))
	}
	if o.Error != "" {
		line("*Error:* %s", code(o.Error))
	}
	if c := f.Change; c != nil {
		line("*What the change added:* %s", chatText(cutRunes(strings.Join(changeText(c), " "), 1500)))
	}
	if p := policyLine(f.Policy); p != "" {
		line("*Policy:* %s", chatText(p))
	}
	if f.Unresolved != "" {
		line("*Unresolved:* %s", chatText(f.Unresolved))
	}
	line("*Rule:* %s (%s)", code(orUnknown(f.Rule)), chatText(orUnknown(function(a))))
	if len(f.Reasons) > 0 {
		line("*Why:*")
		for _, r := range f.Reasons {
			line("• %s", chatText(r))
		}
	}
	return cutLines(strings.TrimRight(b.String(), "\n"), ChatbotMaxDescription, "… (cut to fit the chat message; the email alert has everything)")
}

func chatbotNextSteps(a finding.Alert) []string {
	var steps []string
	cmds := Commands(a)
	for _, c := range cmds {
		s := c.Label + ": " + code(c.Command)
		switch {
		case c.Command == "" || utf8.RuneCountInString(s) > ChatbotMaxNextStep:
			s = c.Label + ": the command is too long for chat; see the email alert."
		case chatText(c.Command) != c.Command:
			// Never show a command that chatText had to change: it would
			// not be the command.
			s = c.Label + ": the command holds characters chat would alter; see the email alert."
		}
		steps = append(steps, s)
		if n := deferredNote(a); len(steps) == 1 && n != "" && c.Label == LabelRollBack {
			steps = append(steps, cutRunes(chatText(n), ChatbotMaxNextStep))
		}
	}
	if len(cmds) == 0 && a.Finding.RemediationNote != "" {
		steps = append(steps, cutRunes(chatText(a.Finding.RemediationNote), ChatbotMaxNextStep))
	}
	steps = append(steps, "Open the event in CloudTrail: "+ConsoleURL(a.Finding))
	steps = append(steps, cutRunes(chatText(ExemptHint(a)), ChatbotMaxNextStep))
	return steps
}

func policyARN(a finding.Alert) string {
	if a.Finding.Policy == nil {
		return ""
	}
	return a.Finding.Policy.ARN
}

// chatText keeps a value from changing the markdown around it: CloudTrail
// fields such as the user agent are chosen by whoever made the call, so a
// mention (<!channel>), a link or a code fence in them must stay text. Angle
// brackets become look-alikes, backticks quotes, and line breaks spaces.
func chatText(s string) string {
	return chatReplacer.Replace(s)
}

var chatReplacer = strings.NewReplacer("<", "‹", ">", "›", "`", "'", "\r\n", " ", "\n", " ", "\r", " ")

// code shows a value as inline code, made safe by chatText.
func code(s string) string {
	return "`" + chatText(s) + "`"
}

// cutRunes keeps at most n characters of s, ending a cut with "…".
func cutRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimRight(string(r[:n-1]), " ") + "…"
}

// cutLines keeps at most n characters of s, cutting at a line break when one
// is near the limit, and ends a cut with the note.
func cutLines(s string, n int, note string) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	keep := string(r[:n-utf8.RuneCountInString(note)-1])
	if i := strings.LastIndexByte(keep, '\n'); i > len(keep)/2 {
		keep = keep[:i]
	}
	return keep + "\n" + note
}

func nonEmpty(vals ...string) []string {
	var out []string
	seen := map[string]bool{}
	for _, v := range vals {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}
