package motoserver

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"encoding/xml"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
)

// maxErrorBody is how much of an error answer errorCode reads.
const maxErrorBody = 1 << 20

// service returns the signing name from the SigV4 (or SigV4a) credential
// scope of the Authorization header or of a presigned URL's
// X-Amz-Credential: AKID/DATE/REGION/SERVICE/aws4_request.
func service(r *http.Request) string {
	cred := r.URL.Query().Get("X-Amz-Credential")
	if auth := r.Header.Get("Authorization"); auth != "" {
		i := strings.Index(auth, "Credential=")
		if i < 0 {
			return ""
		}
		cred = auth[i+len("Credential="):]
		if j := strings.IndexAny(cred, ", "); j >= 0 {
			cred = cred[:j]
		}
	}
	parts := strings.Split(cred, "/")
	if len(parts) < 4 || parts[len(parts)-1] != "aws4_request" {
		return ""
	}
	return parts[len(parts)-2]
}

// operation returns the operation a request names: the part of X-Amz-Target
// after its last '.', the Query Action (from the URL or a form body, which
// it reads and puts back), or the last path segment of an RPCv2 CBOR
// request (/service/S/operation/OP).
func operation(r *http.Request) (string, error) {
	if t := r.Header.Get("X-Amz-Target"); t != "" {
		return t[strings.LastIndex(t, ".")+1:], nil
	}
	if r.Header.Get("Smithy-Protocol") != "" {
		if i := strings.LastIndex(r.URL.Path, "/operation/"); i >= 0 {
			return r.URL.Path[i+len("/operation/"):], nil
		}
	}
	if a := r.URL.Query().Get("Action"); a != "" {
		return a, nil
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/x-www-form-urlencoded" || r.Body == nil || r.Body == http.NoBody {
		return "", nil
	}
	body, err := io.ReadAll(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	if err != nil {
		return "", err
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return "", nil // not a form after all; forwarded as it came
	}
	return form.Get("Action"), nil
}

// errorCode reads (and puts back) the start of an error answer and returns
// its code: the X-Amzn-ErrorType header, the JSON __type or code, or the
// first XML <Code> element. Codes lose any "namespace#" prefix and any
// ":detail" suffix.
func errorCode(resp *http.Response) string {
	if h := resp.Header.Get("X-Amzn-ErrorType"); h != "" {
		return clean(h)
	}
	if resp.Body == nil || resp.Body == http.NoBody {
		return ""
	}
	head, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if err != nil {
		return ""
	}
	if strings.EqualFold(resp.Header.Get("Content-Encoding"), "gzip") {
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return ""
		}
		head, _ = io.ReadAll(zr)
	}
	return codeFromBody(head)
}

func codeFromBody(body []byte) string {
	body = bytes.TrimSpace(body)
	if bytes.HasPrefix(body, []byte("{")) {
		var v struct {
			Type  string `json:"__type"`
			Code  string `json:"code"`
			CodeU string `json:"Code"`
		}
		if json.Unmarshal(body, &v) != nil {
			return ""
		}
		for _, c := range []string{v.Type, v.Code, v.CodeU} {
			if c != "" {
				return clean(c)
			}
		}
		return ""
	}
	if bytes.HasPrefix(body, []byte("<")) {
		d := xml.NewDecoder(bytes.NewReader(body))
		d.Strict = false
		for {
			tok, err := d.Token()
			if err != nil {
				return ""
			}
			if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "Code" {
				var code string
				if d.DecodeElement(&code, &se) != nil {
					return ""
				}
				return clean(code)
			}
		}
	}
	return ""
}

func clean(code string) string {
	code = strings.TrimSpace(code)
	if i := strings.LastIndex(code, "#"); i >= 0 {
		code = code[i+1:]
	}
	if i := strings.Index(code, ":"); i >= 0 {
		code = code[:i]
	}
	return code
}

// restRoute names the operation of a REST-protocol request by its method
// and path: the only protocol whose requests do not carry the name.
type restRoute struct {
	service, method string
	path            *regexp.Regexp
	op              string
}

// restRoutes are the REST operations iamguard's functions and tests call.
var restRoutes = []restRoute{
	{"lambda", http.MethodGet, regexp.MustCompile(`^/2019-09-30/functions/[^/]+/concurrency$`), "GetFunctionConcurrency"},
	{"lambda", http.MethodPut, regexp.MustCompile(`^/2017-10-31/functions/[^/]+/concurrency$`), "PutFunctionConcurrency"},
	{"lambda", http.MethodDelete, regexp.MustCompile(`^/2017-10-31/functions/[^/]+/concurrency$`), "DeleteFunctionConcurrency"},
	{"lambda", http.MethodPost, regexp.MustCompile(`^/2015-03-31/functions/?$`), "CreateFunction"},
	{"guardduty", http.MethodGet, regexp.MustCompile(`^/detector/[^/]+$`), "GetDetector"},
	{"guardduty", http.MethodPost, regexp.MustCompile(`^/detector/[^/]+$`), "UpdateDetector"},
	{"guardduty", http.MethodPost, regexp.MustCompile(`^/detector/?$`), "CreateDetector"},
}

// restOperation returns the operation of a REST request to service, or ""
// when no route names it.
func restOperation(service string, r *http.Request) string {
	for _, rt := range restRoutes {
		if rt.service == service && rt.method == r.Method && rt.path.MatchString(r.URL.Path) {
			return rt.op
		}
	}
	return ""
}
