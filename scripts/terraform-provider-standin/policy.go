package main

import (
	"encoding/json"
	"sort"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// renderPolicyDocument turns aws_iam_policy_document's statements into the JSON the real data
// source produces (close enough to read in a plan: Sid, Effect, Action, Resource, Principal,
// Condition), so the plan shows every permission a role gets.
func renderPolicyDocument(attrs map[string]tftypes.Value) (string, error) {
	var statements []tftypes.Value
	if s, ok := attrs["statement"]; ok && !s.IsNull() {
		if err := s.As(&statements); err != nil {
			return "", err
		}
	}
	rendered := make([]map[string]any, 0, len(statements))
	for _, statement := range statements {
		var fields map[string]tftypes.Value
		if err := statement.As(&fields); err != nil {
			return "", err
		}
		out := map[string]any{"Effect": "Allow"}
		if sid := stringOf(fields["sid"]); sid != "" {
			out["Sid"] = sid
		}
		if effect := stringOf(fields["effect"]); effect != "" {
			out["Effect"] = effect
		}
		for key, field := range map[string]string{"Action": "actions", "NotAction": "not_actions", "Resource": "resources", "NotResource": "not_resources"} {
			if values := stringsOf(fields[field]); len(values) > 0 {
				out[key] = oneOrMany(values)
			}
		}
		for key, field := range map[string]string{"Principal": "principals", "NotPrincipal": "not_principals"} {
			var principals []tftypes.Value
			if p, ok := fields[field]; ok && !p.IsNull() {
				if err := p.As(&principals); err != nil {
					return "", err
				}
			}
			if len(principals) == 0 {
				continue
			}
			byType := map[string]any{}
			for _, principal := range principals {
				var pf map[string]tftypes.Value
				if err := principal.As(&pf); err != nil {
					return "", err
				}
				byType[stringOf(pf["type"])] = oneOrMany(stringsOf(pf["identifiers"]))
			}
			out[key] = byType
		}
		var conditions []tftypes.Value
		if c, ok := fields["condition"]; ok && !c.IsNull() {
			if err := c.As(&conditions); err != nil {
				return "", err
			}
		}
		if len(conditions) > 0 {
			byTest := map[string]map[string]any{}
			for _, condition := range conditions {
				var cf map[string]tftypes.Value
				if err := condition.As(&cf); err != nil {
					return "", err
				}
				test := stringOf(cf["test"])
				if byTest[test] == nil {
					byTest[test] = map[string]any{}
				}
				byTest[test][stringOf(cf["variable"])] = oneOrMany(stringsOf(cf["values"]))
			}
			out["Condition"] = byTest
		}
		rendered = append(rendered, out)
	}
	version := stringOf(attrs["version"])
	if version == "" {
		version = "2012-10-17"
	}
	document, err := json.MarshalIndent(map[string]any{"Version": version, "Statement": rendered}, "", "  ")
	return string(document), err
}

func stringOf(v tftypes.Value) string {
	var s string
	if v.IsNull() || !v.IsKnown() || v.As(&s) != nil {
		return ""
	}
	return s
}

func stringsOf(v tftypes.Value) []string {
	var elements []tftypes.Value
	if v.IsNull() || !v.IsKnown() || v.As(&elements) != nil {
		return nil
	}
	out := make([]string, 0, len(elements))
	for _, e := range elements {
		out = append(out, stringOf(e))
	}
	// Sets have no order; the real data source sorts too.
	sort.Strings(out)
	return out
}

func oneOrMany(values []string) any {
	if len(values) == 1 {
		return values[0]
	}
	return values
}
