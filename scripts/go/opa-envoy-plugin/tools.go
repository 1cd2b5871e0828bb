//go:build tools

// Package tools pins the OPA-Envoy plugin (OPA with the Envoy ext_authz gRPC server built in), the
// baseline of the policy benchmark (bench/policy.ts). Its go.sum is committed so that the build is
// verified against recorded hashes. Newer tags are not served by the Go module proxy here.
package tools

import _ "github.com/open-policy-agent/opa-envoy-plugin/cmd/opa-envoy-plugin"
