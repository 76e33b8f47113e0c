// sdkgen: generates a Pulumi package's SDK from its schema with the Pulumi CLI's own code
// generators (github.com/pulumi/pulumi/pkg/v3/codegen), offline and without language hosts.
// `pulumi package gen-sdk` delegates every language but YAML to a language plugin, and the
// Node.js, Python and Go hosts cannot be installed here; their generators are Go libraries.
//
// Usage: sdkgen <nodejs|python|go> <schema.json> <out dir> [dependency schema.json ...]
//
// Dependency schemas are the packages the schema refers to (`/oci/v4.20.0/schema.json#/provider`):
// `pulumi package get-schema` of their plugin gives them.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

// loader answers the schema binder with the dependency schemas given on the command line.
type loader map[string]*schema.Package

func (l loader) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	if p, ok := l[pkg]; ok {
		return p, nil
	}
	return nil, fmt.Errorf("no schema for package %q: pass its schema.json (pulumi package get-schema <plugin>)", pkg)
}

func (l loader) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, d.Version)
}

func (l loader) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	p, err := l.LoadPackage(pkg, v)
	if err != nil {
		return nil, err
	}
	return p.Reference(), nil
}

func (l loader) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, d.Version)
}

func bind(path string, l loader) (*schema.Package, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(b, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	pkg, diags, err := schema.BindSpec(spec, l, schema.ValidationOptions{})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if diags.HasErrors() {
		return nil, fmt.Errorf("%s: %s", path, diags.Error())
	}
	return pkg, nil
}

func run(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: sdkgen <nodejs|python|go> <schema.json> <out dir> [dependency schema.json ...]")
	}
	lang, schemaPath, out := args[0], args[1], args[2]
	l := loader{}
	for _, dep := range args[3:] {
		p, err := bind(dep, l)
		if err != nil {
			return err
		}
		l[p.Name] = p
	}
	pkg, err := bind(schemaPath, l)
	if err != nil {
		return err
	}
	const tool = "oci-geo-streaming sdkgen"
	var files map[string][]byte
	switch lang {
	case "nodejs":
		files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, l)
	case "python":
		files, err = python.GeneratePackage(tool, pkg, nil, l)
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, nil)
	default:
		err = fmt.Errorf("unsupported language %q (nodejs, python, go)", lang)
	}
	if err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for p := range files {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		full := filepath.Join(out, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%s SDK: %d files in %s\n", lang, len(files), out)
	return nil
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}
