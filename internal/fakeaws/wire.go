package fakeaws

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"strconv"
	"time"
)

// The Query API versions and the XML namespaces of their answers.
const (
	iamVersion   = "2010-05-08"
	snsVersion   = "2010-03-31"
	iamNamespace = "https://iam.amazonaws.com/doc/2010-05-08/"
	snsNamespace = "http://sns.amazonaws.com/doc/2010-03-31/"
)

func namespaceOf(service string) string {
	if service == ServiceSNS {
		return snsNamespace
	}
	return iamNamespace
}

// members is a Query list: <Name><member>…</member>…</Name>. It always
// writes the wrapper, as AWS does for an empty list.
type members[T any] struct {
	Member []T `xml:"member"`
}

// xmlTag is an IAM tag in a Query answer.
type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func tagList(tags map[string]string) []xmlTag {
	out := make([]xmlTag, 0, len(tags))
	for _, k := range sortedKeys(tags) {
		out = append(out, xmlTag{Key: k, Value: tags[k]})
	}
	return out
}

// isoTime formats a timestamp as IAM does: ISO 8601, UTC, whole seconds.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// writeQueryResult writes
// <ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…
func writeQueryResult(w http.ResponseWriter, service, action string, result any, reqID string) {
	if result == nil {
		result = struct{}{}
	}
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: action + "Response"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: namespaceOf(service)}}}
	err := enc.EncodeToken(start)
	if err == nil {
		err = enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}})
	}
	if err == nil {
		err = enc.EncodeElement(struct {
			RequestID string `xml:"RequestId"`
		}{reqID}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}})
	}
	if err == nil {
		err = enc.EncodeToken(start.End())
	}
	if err == nil {
		err = enc.Flush()
	}
	if err != nil {
		writeQueryError(w, service, errorf("InternalFailure", "fakeaws: encode %s result: %v", action, err), reqID)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", reqID)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// queryError is the Query protocol's error envelope.
type queryError struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr,omitempty"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

func writeQueryError(w http.ResponseWriter, service string, e *apiError, reqID string) {
	typ := "Sender"
	if e.status >= 500 {
		typ = "Receiver"
	}
	body, err := xml.Marshal(queryError{Xmlns: namespaceOf(service), Type: typ, Code: e.code, Message: e.msg, RequestID: reqID})
	if err != nil { // only strings: cannot happen
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/xml")
	h.Set("X-Amzn-Requestid", reqID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status)
	_, _ = w.Write(body)
}

func writeJSONResult(w http.ResponseWriter, result any, reqID string) {
	if result == nil {
		result = struct{}{}
	}
	body, err := json.Marshal(result)
	if err != nil {
		writeJSONError(w, errorf("InternalServiceError", "fakeaws: encode result: %v", err), reqID)
		return
	}
	writeJSON(w, http.StatusOK, body, reqID)
}

// writeJSONError writes {"__type":"Code","Message":"…"}. Secrets Manager
// answers every client error with 400 and server errors with 500.
func writeJSONError(w http.ResponseWriter, e *apiError, reqID string) {
	status := http.StatusBadRequest
	if e.status >= 500 {
		status = e.status
	}
	body, _ := json.Marshal(struct { // strings only: cannot fail
		Type    string `json:"__type"`
		Message string `json:"Message"`
	}{e.code, e.msg})
	writeJSON(w, status, body, reqID)
}

func writeJSON(w http.ResponseWriter, status int, body []byte, reqID string) {
	h := w.Header()
	h.Set("Content-Type", "application/x-amz-json-1.1")
	h.Set("X-Amzn-Requestid", reqID)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// iamEscape URL-encodes a policy document the way IAM returns it: every byte
// except A-Z a-z 0-9 - _ . ~ * becomes %XX, so a space is %20 and a plus is
// %2B. url.QueryUnescape and url.PathUnescape both decode it.
func iamEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z', 'a' <= c && c <= 'z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '~', c == '*':
			b = append(b, c)
		default:
			b = append(b, '%', hex[c>>4], hex[c&15])
		}
	}
	return string(b)
}
