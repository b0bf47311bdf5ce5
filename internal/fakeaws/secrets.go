package fakeaws

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

type secret struct {
	name, arn, versionID, value string
}

// SetSecret stores a Secrets Manager secret's SecretString under its name
// (id). GetSecretValue finds it by that name, by its full ARN, or by its ARN
// without the random six-character suffix.
func (s *Server) SetSecret(id, value string) {
	sum := sha256.Sum256([]byte(id))
	h := hex.EncodeToString(sum[:])
	// Secrets Manager appends "-" and six random characters to the name.
	arn := fmt.Sprintf("arn:aws:secretsmanager:%s:%s:secret:%s-%s", Region, AccountID, id, h[:6])
	version := fmt.Sprintf("%s-%s-4%s-8%s-%s", h[6:14], h[14:18], h[18:21], h[21:24], h[24:36])
	s.mu.Lock()
	defer s.mu.Unlock()
	s.secrets[id] = &secret{name: id, arn: arn, versionID: version, value: value}
}

// secretsActions are the Secrets Manager operations the server answers.
var secretsActions = map[string]handlerFunc{
	"GetSecretValue": getSecretValue,
}

func (s *Server) findSecret(id string) *secret {
	if sec := s.secrets[id]; sec != nil {
		return sec
	}
	for _, sec := range s.secrets {
		if id == sec.arn || (strings.HasPrefix(id, "arn:") && id == sec.arn[:len(sec.arn)-7]) {
			return sec
		}
	}
	return nil
}

type getSecretValueResult struct {
	ARN           string   `json:"ARN"`
	Name          string   `json:"Name"`
	VersionID     string   `json:"VersionId"`
	SecretString  string   `json:"SecretString"`
	VersionStages []string `json:"VersionStages"`
	CreatedDate   float64  `json:"CreatedDate"`
}

func getSecretValue(s *Server, p params) (any, *apiError) {
	id, ok := p["SecretId"]
	if !ok || id == "" {
		return nil, errorf("InvalidParameterException", "You must provide a value for SecretId.")
	}
	sec := s.findSecret(id)
	if sec == nil {
		return nil, errorf("ResourceNotFoundException", "Secrets Manager can't find the specified secret.")
	}
	if v, ok := p["VersionId"]; ok && v != sec.versionID {
		return nil, errorf("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for VersionId: %s", v)
	}
	if st, ok := p["VersionStage"]; ok && st != "AWSCURRENT" {
		return nil, errorf("ResourceNotFoundException", "Secrets Manager can't find the specified secret value for staging label: %s", st)
	}
	return getSecretValueResult{ARN: sec.arn, Name: sec.name, VersionID: sec.versionID, SecretString: sec.value,
		VersionStages: []string{"AWSCURRENT"}, CreatedDate: float64(epoch.Unix())}, nil
}
