// Renders a Helm chart's templates the way `helm template` does, for a machine without Helm: Go's
// text/template with the Sprig function library (the two Helm's engine is built on) plus Helm's own
// functions (include, tpl, required, fail, toYaml, fromYaml, toJson, fromJson, lookup) and .Files.Get, values
// from values.yaml merged with -f files as Helm merges them, and the same built-in objects.
//
// What it does not do, and Helm does: check the chart against values.schema.json (the test does
// that with ajv), talk to a cluster (lookup returns nothing, Capabilities are fixed), run hooks or
// subcharts. It prints JSON: {"manifests": {"<template path>": "<rendered text>"}} or {"error": "..."}.
//
// Usage: chart-render <chart dir> [-f values.yaml]... [--set-string path=value]...
package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig"
	"github.com/ghodss/yaml"
)

type object = map[string]interface{}

func main() {
	out, err := render(os.Args[1:])
	result := object{}
	if err != nil {
		result["error"] = err.Error()
	} else {
		result["manifests"] = out
	}
	encoded, _ := json.Marshal(result)
	fmt.Println(string(encoded))
}

func readYaml(path string) (object, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	values := object{}
	if err := yaml.Unmarshal(data, &values); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return values, nil
}

// merge applies override onto base as Helm coalesces user values onto the chart's: maps merge
// key by key, anything else replaces, and null deletes the key.
func merge(base, override object) object {
	for key, value := range override {
		if value == nil {
			delete(base, key)
			continue
		}
		if child, ok := value.(object); ok {
			if existing, ok := base[key].(object); ok {
				base[key] = merge(existing, child)
				continue
			}
		}
		base[key] = value
	}
	return base
}

// chartFiles is Helm's .Files, for what the templates use of it: Get (a chart file's text, "" if none).
type chartFiles struct{ dir string }

func (f chartFiles) Get(name string) string {
	data, err := os.ReadFile(filepath.Join(f.dir, filepath.FromSlash(name)))
	if err != nil {
		return ""
	}
	return string(data)
}

func render(args []string) (map[string]string, error) {
	if len(args) < 1 {
		return nil, fmt.Errorf("usage: chart-render <chart dir> [-f values.yaml]... [--set-string path=value]...")
	}
	dir := args[0]
	chart, err := readYaml(filepath.Join(dir, "Chart.yaml"))
	if err != nil {
		return nil, err
	}
	values, err := readYaml(filepath.Join(dir, "values.yaml"))
	if err != nil {
		return nil, err
	}
	for i := 1; i < len(args); i++ {
		switch args[i] {
		case "-f":
			i++
			extra, err := readYaml(args[i])
			if err != nil {
				return nil, err
			}
			values = merge(values, extra)
		case "--set-string":
			i++
			parts := strings.SplitN(args[i], "=", 2)
			path := strings.Split(parts[0], ".")
			node := values
			for _, key := range path[:len(path)-1] {
				child, ok := node[key].(object)
				if !ok {
					child = object{}
					node[key] = child
				}
				node = child
			}
			node[path[len(path)-1]] = parts[1]
		default:
			return nil, fmt.Errorf("unknown argument %s", args[i])
		}
	}

	name := chart["name"].(string)
	root := template.New("gotpl").Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	includes := map[string]int{}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		includes[name]++
		defer func() { includes[name]-- }()
		if includes[name] > 1000 {
			return "", fmt.Errorf("rendering template has a nested reference name: %s", name)
		}
		var buf bytes.Buffer
		err := root.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(text string, data interface{}) (string, error) {
		t, err := root.Clone()
		if err != nil {
			return "", err
		}
		t, err = t.New("tpl").Parse(text)
		if err != nil {
			return "", err
		}
		var buf bytes.Buffer
		err = t.Execute(&buf, data)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	funcs["required"] = func(message string, value interface{}) (interface{}, error) {
		if value == nil {
			return nil, fmt.Errorf(message)
		}
		if s, ok := value.(string); ok && s == "" {
			return nil, fmt.Errorf(message)
		}
		return value, nil
	}
	funcs["fail"] = func(message string) (string, error) { return "", fmt.Errorf(message) }
	funcs["toYaml"] = func(value interface{}) string {
		data, err := yaml.Marshal(value)
		if err != nil {
			return ""
		}
		return strings.TrimSuffix(string(data), "\n")
	}
	funcs["fromYaml"] = func(text string) object {
		m := object{}
		if err := yaml.Unmarshal([]byte(text), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["toJson"] = func(value interface{}) string {
		data, _ := json.Marshal(value)
		return string(data)
	}
	funcs["fromJson"] = func(text string) object {
		m := object{}
		if err := json.Unmarshal([]byte(text), &m); err != nil {
			m["Error"] = err.Error()
		}
		return m
	}
	funcs["lookup"] = func(string, string, string, string) (object, error) { return object{}, nil }
	root.Funcs(funcs)

	files, err := filepath.Glob(filepath.Join(dir, "templates", "*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var names []string
	for _, file := range files {
		text, err := os.ReadFile(file)
		if err != nil {
			return nil, err
		}
		templateName := name + "/templates/" + filepath.Base(file)
		if _, err := root.New(templateName).Parse(string(text)); err != nil {
			return nil, err
		}
		names = append(names, templateName)
	}

	chartObject := object{}
	for key, value := range chart {
		chartObject[strings.ToUpper(key[:1])+key[1:]] = value
	}
	out := map[string]string{}
	for _, templateName := range names {
		base := filepath.Base(templateName)
		if strings.HasPrefix(base, "_") {
			continue
		}
		data := object{
			"Values":  values,
			"Chart":   chartObject,
			"Release": object{"Name": "goalpost", "Namespace": "goalpost", "Service": "Helm", "IsInstall": true, "IsUpgrade": false, "Revision": 1},
			"Capabilities": object{
				"KubeVersion": object{"Version": "v1.31.0", "Major": "1", "Minor": "31"},
				"APIVersions": []string{},
			},
			"Template": object{"Name": templateName, "BasePath": name + "/templates"},
			"Files":    chartFiles{dir},
		}
		var buf bytes.Buffer
		if err := root.ExecuteTemplate(&buf, templateName, data); err != nil {
			return nil, err
		}
		out[templateName] = strings.ReplaceAll(buf.String(), "<no value>", "")
	}
	return out, nil
}
