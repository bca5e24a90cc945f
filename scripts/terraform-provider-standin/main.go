// A stand-in for the hashicorp/aws Terraform provider that knows the real provider's schema and
// nothing else: Terraform core can then run init, validate and plan offline. It plans unknown
// values for computed attributes, answers data sources with placeholders, and refuses to apply.
// See README.md for what it cannot check.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"log"
	"math/big"
	"os"
	"sort"
	"strings"

	"github.com/hashicorp/terraform-plugin-go/tfprotov5"
	"github.com/hashicorp/terraform-plugin-go/tfprotov5/tf5server"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// schema.json is written beside this file by the build (scripts/ensure-tools.mjs), from the
// schema cdktf generated its AWS bindings from; it is not kept in the repository.
//
//go:embed schema.json
var schemaJSON []byte

const placeholderAccount = "000000000000"

type jsonAttribute struct {
	Type     json.RawMessage `json:"type"`
	Required bool            `json:"required"`
	Optional bool            `json:"optional"`
	Computed bool            `json:"computed"`
}

type jsonNestedBlock struct {
	NestingMode string    `json:"nesting_mode"`
	Block       jsonBlock `json:"block"`
	MinItems    int64     `json:"min_items"`
	MaxItems    int64     `json:"max_items"`
}

type jsonBlock struct {
	Attributes map[string]jsonAttribute   `json:"attributes"`
	BlockTypes map[string]jsonNestedBlock `json:"block_types"`
}

type jsonSchema struct {
	Version int64     `json:"version"`
	Block   jsonBlock `json:"block"`
}

type jsonProviderSchema struct {
	Provider          jsonSchema            `json:"provider"`
	ResourceSchemas   map[string]jsonSchema `json:"resource_schemas"`
	DataSourceSchemas map[string]jsonSchema `json:"data_source_schemas"`
}

var nestingModes = map[string]tfprotov5.SchemaNestedBlockNestingMode{
	"single": tfprotov5.SchemaNestedBlockNestingModeSingle,
	"list":   tfprotov5.SchemaNestedBlockNestingModeList,
	"set":    tfprotov5.SchemaNestedBlockNestingModeSet,
	"map":    tfprotov5.SchemaNestedBlockNestingModeMap,
	"group":  tfprotov5.SchemaNestedBlockNestingModeGroup,
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func convertBlock(b jsonBlock) (*tfprotov5.SchemaBlock, error) {
	block := &tfprotov5.SchemaBlock{}
	for _, name := range sortedKeys(b.Attributes) {
		a := b.Attributes[name]
		typ, err := tftypes.ParseJSONType(a.Type)
		if err != nil {
			return nil, fmt.Errorf("attribute %s: %w", name, err)
		}
		block.Attributes = append(block.Attributes, &tfprotov5.SchemaAttribute{Name: name, Type: typ, Required: a.Required, Optional: a.Optional, Computed: a.Computed})
	}
	for _, name := range sortedKeys(b.BlockTypes) {
		nb := b.BlockTypes[name]
		inner, err := convertBlock(nb.Block)
		if err != nil {
			return nil, fmt.Errorf("block %s: %w", name, err)
		}
		mode, ok := nestingModes[nb.NestingMode]
		if !ok {
			return nil, fmt.Errorf("block %s: unknown nesting mode %q", name, nb.NestingMode)
		}
		block.BlockTypes = append(block.BlockTypes, &tfprotov5.SchemaNestedBlock{TypeName: name, Block: inner, Nesting: mode, MinItems: nb.MinItems, MaxItems: nb.MaxItems})
	}
	return block, nil
}

func convertSchemas(in map[string]jsonSchema) (map[string]*tfprotov5.Schema, error) {
	out := make(map[string]*tfprotov5.Schema, len(in))
	for name, s := range in {
		block, err := convertBlock(s.Block)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = &tfprotov5.Schema{Version: s.Version, Block: block}
	}
	return out, nil
}

type standIn struct {
	provider    *tfprotov5.Schema
	resources   map[string]*tfprotov5.Schema
	dataSources map[string]*tfprotov5.Schema
	region      string
}

func newStandIn() (*standIn, error) {
	var raw jsonProviderSchema
	if err := json.Unmarshal(schemaJSON, &raw); err != nil {
		return nil, fmt.Errorf("embedded schema: %w", err)
	}
	providerBlock, err := convertBlock(raw.Provider.Block)
	if err != nil {
		return nil, fmt.Errorf("provider: %w", err)
	}
	resources, err := convertSchemas(raw.ResourceSchemas)
	if err != nil {
		return nil, err
	}
	dataSources, err := convertSchemas(raw.DataSourceSchemas)
	if err != nil {
		return nil, err
	}
	return &standIn{provider: &tfprotov5.Schema{Block: providerBlock}, resources: resources, dataSources: dataSources, region: "us-east-1"}, nil
}

func errorDiagnostics(summary string, err error) []*tfprotov5.Diagnostic {
	detail := ""
	if err != nil {
		detail = err.Error()
	}
	return []*tfprotov5.Diagnostic{{Severity: tfprotov5.DiagnosticSeverityError, Summary: summary, Detail: detail}}
}

func (p *standIn) GetMetadata(context.Context, *tfprotov5.GetMetadataRequest) (*tfprotov5.GetMetadataResponse, error) {
	resp := &tfprotov5.GetMetadataResponse{ServerCapabilities: &tfprotov5.ServerCapabilities{PlanDestroy: true}}
	for _, name := range sortedKeys(p.resources) {
		resp.Resources = append(resp.Resources, tfprotov5.ResourceMetadata{TypeName: name})
	}
	for _, name := range sortedKeys(p.dataSources) {
		resp.DataSources = append(resp.DataSources, tfprotov5.DataSourceMetadata{TypeName: name})
	}
	return resp, nil
}

func (p *standIn) GetProviderSchema(context.Context, *tfprotov5.GetProviderSchemaRequest) (*tfprotov5.GetProviderSchemaResponse, error) {
	return &tfprotov5.GetProviderSchemaResponse{
		ServerCapabilities: &tfprotov5.ServerCapabilities{PlanDestroy: true},
		Provider:           p.provider,
		ResourceSchemas:    p.resources,
		DataSourceSchemas:  p.dataSources,
		Functions:          map[string]*tfprotov5.Function{},
	}, nil
}

func (p *standIn) PrepareProviderConfig(_ context.Context, req *tfprotov5.PrepareProviderConfigRequest) (*tfprotov5.PrepareProviderConfigResponse, error) {
	return &tfprotov5.PrepareProviderConfigResponse{PreparedConfig: req.Config}, nil
}

func (p *standIn) ConfigureProvider(_ context.Context, req *tfprotov5.ConfigureProviderRequest) (*tfprotov5.ConfigureProviderResponse, error) {
	config, err := req.Config.Unmarshal(p.provider.ValueType())
	if err != nil {
		return &tfprotov5.ConfigureProviderResponse{Diagnostics: errorDiagnostics("Invalid provider configuration", err)}, nil
	}
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err == nil {
		if region, ok := attrs["region"]; ok && region.IsKnown() && !region.IsNull() {
			var s string
			if region.As(&s) == nil && s != "" {
				p.region = s
			}
		}
	}
	return &tfprotov5.ConfigureProviderResponse{}, nil
}

func (p *standIn) StopProvider(context.Context, *tfprotov5.StopProviderRequest) (*tfprotov5.StopProviderResponse, error) {
	return &tfprotov5.StopProviderResponse{}, nil
}

func (p *standIn) ValidateResourceTypeConfig(_ context.Context, req *tfprotov5.ValidateResourceTypeConfigRequest) (*tfprotov5.ValidateResourceTypeConfigResponse, error) {
	if _, ok := p.resources[req.TypeName]; !ok {
		return &tfprotov5.ValidateResourceTypeConfigResponse{Diagnostics: errorDiagnostics("Unknown resource type "+req.TypeName, nil)}, nil
	}
	return &tfprotov5.ValidateResourceTypeConfigResponse{}, nil
}

func (p *standIn) UpgradeResourceState(_ context.Context, req *tfprotov5.UpgradeResourceStateRequest) (*tfprotov5.UpgradeResourceStateResponse, error) {
	schema, ok := p.resources[req.TypeName]
	if !ok {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("Unknown resource type "+req.TypeName, nil)}, nil
	}
	value, err := req.RawState.Unmarshal(schema.ValueType())
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("Unreadable state", err)}, nil
	}
	state, err := tfprotov5.NewDynamicValue(schema.ValueType(), value)
	if err != nil {
		return &tfprotov5.UpgradeResourceStateResponse{Diagnostics: errorDiagnostics("Unreadable state", err)}, nil
	}
	return &tfprotov5.UpgradeResourceStateResponse{UpgradedState: &state}, nil
}

func (p *standIn) ReadResource(_ context.Context, req *tfprotov5.ReadResourceRequest) (*tfprotov5.ReadResourceResponse, error) {
	return &tfprotov5.ReadResourceResponse{NewState: req.CurrentState, Private: req.Private}, nil
}

// fill replaces the null computed attributes of a block's value: with unknowns when planning a
// resource (AWS decides them at apply), with placeholders when reading a data source (a data
// source's result must be wholly known).
type fill func(path []string, typ tftypes.Type) tftypes.Value

func fillBlock(block *tfprotov5.SchemaBlock, value tftypes.Value, path []string, with fill) (tftypes.Value, error) {
	if value.IsNull() || !value.IsKnown() {
		return value, nil
	}
	var attrs map[string]tftypes.Value
	if err := value.As(&attrs); err != nil {
		return value, err
	}
	for _, a := range block.Attributes {
		if current, ok := attrs[a.Name]; a.Computed && (!ok || current.IsNull()) {
			attrs[a.Name] = with(append(path, a.Name), a.Type)
		}
	}
	for _, nb := range block.BlockTypes {
		current, ok := attrs[nb.TypeName]
		if !ok || current.IsNull() || !current.IsKnown() {
			continue
		}
		inner := append(path, nb.TypeName)
		switch nb.Nesting {
		case tfprotov5.SchemaNestedBlockNestingModeSingle, tfprotov5.SchemaNestedBlockNestingModeGroup:
			filled, err := fillBlock(nb.Block, current, inner, with)
			if err != nil {
				return value, err
			}
			attrs[nb.TypeName] = filled
		case tfprotov5.SchemaNestedBlockNestingModeMap:
			var elements map[string]tftypes.Value
			if err := current.As(&elements); err != nil {
				return value, err
			}
			for key, element := range elements {
				filled, err := fillBlock(nb.Block, element, inner, with)
				if err != nil {
					return value, err
				}
				elements[key] = filled
			}
			attrs[nb.TypeName] = tftypes.NewValue(current.Type(), elements)
		default:
			var elements []tftypes.Value
			if err := current.As(&elements); err != nil {
				return value, err
			}
			for i, element := range elements {
				filled, err := fillBlock(nb.Block, element, inner, with)
				if err != nil {
					return value, err
				}
				elements[i] = filled
			}
			attrs[nb.TypeName] = tftypes.NewValue(current.Type(), elements)
		}
	}
	return tftypes.NewValue(value.Type(), attrs), nil
}

func unknown(_ []string, typ tftypes.Type) tftypes.Value {
	return tftypes.NewValue(typ, tftypes.UnknownValue)
}

func (p *standIn) PlanResourceChange(_ context.Context, req *tfprotov5.PlanResourceChangeRequest) (*tfprotov5.PlanResourceChangeResponse, error) {
	schema, ok := p.resources[req.TypeName]
	if !ok {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("Unknown resource type "+req.TypeName, nil)}, nil
	}
	typ := schema.ValueType()
	proposed, err := req.ProposedNewState.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("Unreadable proposed state", err)}, nil
	}
	prior, err := req.PriorState.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("Unreadable prior state", err)}, nil
	}
	planned := proposed
	// Only a creation needs unknowns: on an update Terraform's proposal already carries the prior
	// state's computed values.
	if prior.IsNull() && !proposed.IsNull() {
		planned, err = fillBlock(schema.Block, proposed, nil, unknown)
		if err != nil {
			return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("Cannot plan "+req.TypeName, err)}, nil
		}
	}
	state, err := tfprotov5.NewDynamicValue(typ, planned)
	if err != nil {
		return &tfprotov5.PlanResourceChangeResponse{Diagnostics: errorDiagnostics("Cannot plan "+req.TypeName, err)}, nil
	}
	return &tfprotov5.PlanResourceChangeResponse{PlannedState: &state, PlannedPrivate: req.PriorPrivate}, nil
}

func (p *standIn) ApplyResourceChange(_ context.Context, req *tfprotov5.ApplyResourceChangeRequest) (*tfprotov5.ApplyResourceChangeResponse, error) {
	return &tfprotov5.ApplyResourceChangeResponse{Diagnostics: errorDiagnostics("The stand-in AWS provider cannot apply", fmt.Errorf("%s: it only validates and plans; apply with the real hashicorp/aws provider", req.TypeName))}, nil
}

func (p *standIn) ImportResourceState(_ context.Context, req *tfprotov5.ImportResourceStateRequest) (*tfprotov5.ImportResourceStateResponse, error) {
	return &tfprotov5.ImportResourceStateResponse{Diagnostics: errorDiagnostics("The stand-in AWS provider cannot import", fmt.Errorf("%s: use the real hashicorp/aws provider", req.TypeName))}, nil
}

func (p *standIn) ValidateDataSourceConfig(_ context.Context, req *tfprotov5.ValidateDataSourceConfigRequest) (*tfprotov5.ValidateDataSourceConfigResponse, error) {
	if _, ok := p.dataSources[req.TypeName]; !ok {
		return &tfprotov5.ValidateDataSourceConfigResponse{Diagnostics: errorDiagnostics("Unknown data source "+req.TypeName, nil)}, nil
	}
	return &tfprotov5.ValidateDataSourceConfigResponse{}, nil
}

// placeholder is a known value for a data source's computed attribute, shaped like AWS's where
// callers build on it (ARNs, account ids, region names).
func (p *standIn) placeholder(typeName string, config map[string]tftypes.Value) fill {
	return func(path []string, typ tftypes.Type) tftypes.Value {
		name := path[len(path)-1]
		switch {
		case typ.Is(tftypes.String):
			label := typeName
			if n, ok := config["name"]; ok && n.IsKnown() && !n.IsNull() {
				_ = n.As(&label)
			}
			switch {
			case name == "account_id" || name == "owner_id":
				return tftypes.NewValue(typ, placeholderAccount)
			case name == "region" || name == "name" && typeName == "aws_region":
				return tftypes.NewValue(typ, p.region)
			case name == "partition":
				return tftypes.NewValue(typ, "aws")
			case name == "dns_suffix":
				return tftypes.NewValue(typ, "amazonaws.com")
			case name == "arn" || strings.HasSuffix(name, "_arn"):
				service := strings.SplitN(strings.TrimPrefix(typeName, "aws_"), "_", 2)[0]
				return tftypes.NewValue(typ, fmt.Sprintf("arn:aws:%s:%s:%s:%s", service, p.region, placeholderAccount, label))
			case name == "id":
				return tftypes.NewValue(typ, label)
			default:
				return tftypes.NewValue(typ, "standin-"+name)
			}
		case typ.Is(tftypes.Number):
			return tftypes.NewValue(typ, big.NewFloat(0))
		case typ.Is(tftypes.Bool):
			return tftypes.NewValue(typ, false)
		case typ.Is(tftypes.List{}), typ.Is(tftypes.Set{}):
			return tftypes.NewValue(typ, []tftypes.Value{})
		case typ.Is(tftypes.Map{}):
			return tftypes.NewValue(typ, map[string]tftypes.Value{})
		default:
			return tftypes.NewValue(typ, nil)
		}
	}
}

func (p *standIn) ReadDataSource(_ context.Context, req *tfprotov5.ReadDataSourceRequest) (*tfprotov5.ReadDataSourceResponse, error) {
	schema, ok := p.dataSources[req.TypeName]
	if !ok {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("Unknown data source "+req.TypeName, nil)}, nil
	}
	typ := schema.ValueType()
	config, err := req.Config.Unmarshal(typ)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("Unreadable configuration", err)}, nil
	}
	var attrs map[string]tftypes.Value
	if err := config.As(&attrs); err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("Unreadable configuration", err)}, nil
	}
	if req.TypeName == "aws_iam_policy_document" {
		document, err := renderPolicyDocument(attrs)
		if err != nil {
			return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("Cannot render the policy document", err)}, nil
		}
		attrs["json"] = tftypes.NewValue(tftypes.String, document)
		attrs["minified_json"] = tftypes.NewValue(tftypes.String, document)
		config = tftypes.NewValue(typ, attrs)
	}
	read, err := fillBlock(schema.Block, config, nil, p.placeholder(req.TypeName, attrs))
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("Cannot read "+req.TypeName, err)}, nil
	}
	state, err := tfprotov5.NewDynamicValue(typ, read)
	if err != nil {
		return &tfprotov5.ReadDataSourceResponse{Diagnostics: errorDiagnostics("Cannot read "+req.TypeName, err)}, nil
	}
	return &tfprotov5.ReadDataSourceResponse{State: &state}, nil
}

func (p *standIn) CallFunction(_ context.Context, req *tfprotov5.CallFunctionRequest) (*tfprotov5.CallFunctionResponse, error) {
	return &tfprotov5.CallFunctionResponse{Error: &tfprotov5.FunctionError{Text: "the stand-in AWS provider has no functions: " + req.Name}}, nil
}

func (p *standIn) GetFunctions(context.Context, *tfprotov5.GetFunctionsRequest) (*tfprotov5.GetFunctionsResponse, error) {
	return &tfprotov5.GetFunctionsResponse{Functions: map[string]*tfprotov5.Function{}}, nil
}

func (p *standIn) ValidateEphemeralResourceConfig(context.Context, *tfprotov5.ValidateEphemeralResourceConfigRequest) (*tfprotov5.ValidateEphemeralResourceConfigResponse, error) {
	return &tfprotov5.ValidateEphemeralResourceConfigResponse{Diagnostics: errorDiagnostics("The stand-in AWS provider has no ephemeral resources", nil)}, nil
}

func (p *standIn) OpenEphemeralResource(context.Context, *tfprotov5.OpenEphemeralResourceRequest) (*tfprotov5.OpenEphemeralResourceResponse, error) {
	return &tfprotov5.OpenEphemeralResourceResponse{Diagnostics: errorDiagnostics("The stand-in AWS provider has no ephemeral resources", nil)}, nil
}

func (p *standIn) RenewEphemeralResource(context.Context, *tfprotov5.RenewEphemeralResourceRequest) (*tfprotov5.RenewEphemeralResourceResponse, error) {
	return &tfprotov5.RenewEphemeralResourceResponse{}, nil
}

func (p *standIn) CloseEphemeralResource(context.Context, *tfprotov5.CloseEphemeralResourceRequest) (*tfprotov5.CloseEphemeralResourceResponse, error) {
	return &tfprotov5.CloseEphemeralResourceResponse{}, nil
}

func main() {
	provider, err := newStandIn()
	if err != nil {
		log.Fatal(err)
	}
	if len(os.Args) > 1 && os.Args[1] == "-schema-summary" {
		fmt.Printf("%d resources, %d data sources\n", len(provider.resources), len(provider.dataSources))
		return
	}
	if err := tf5server.Serve("registry.terraform.io/hashicorp/aws", func() tfprotov5.ProviderServer { return provider }); err != nil {
		log.Fatal(err)
	}
}

func (p *standIn) MoveResourceState(_ context.Context, req *tfprotov5.MoveResourceStateRequest) (*tfprotov5.MoveResourceStateResponse, error) {
	return &tfprotov5.MoveResourceStateResponse{Diagnostics: errorDiagnostics("The stand-in AWS provider cannot move state", fmt.Errorf("%s: use the real hashicorp/aws provider", req.TargetTypeName))}, nil
}
