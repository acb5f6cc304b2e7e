// Command gen turns the JSON files of the npm package
// @etalab/decoupage-administratif into the compact reference files embedded
// by package copilote/internal/territory.
//
//	go run ./internal/territory/gen -src node_modules/@etalab/decoupage-administratif/data -out internal/territory/data
//
// It writes three files into -out:
//
//	communes.tsv.gz  insee, name, department, population  (sorted by INSEE code)
//	epci.tsv.gz      siren, name, type, population, members (sorted by SIREN;
//	                 members: comma-separated INSEE codes, sorted)
//	SOURCE.txt       the package name and version the data came from
//
// The output is byte-identical on rerun: rows are sorted, and the gzip
// header carries neither a timestamp nor a file name, so that regenerating
// with unchanged input leaves git with nothing to commit.
//
// Which communes are kept: only type "commune-actuelle". The package also
// lists arrondissements municipaux (Paris, Lyon, Marseille), communes
// déléguées and communes associées; none of them is an EPCI member in the
// data (every member code is a commune actuelle, which gen checks), and
// they would duplicate the population of their parent commune, so they are
// left out. Communes actuelles outside any EPCI (a few islands, the
// overseas collectivities) are kept, so CommuneByINSEE knows them.
//
// Which population: a commune's figure is the package's "population"
// (INSEE population légale, municipale). An EPCI's figure is the sum of its
// members' figures, not the package's EPCI "populationMunicipale": that one
// comes from the DGCL file, which uses an older census vintage, so it
// disagrees with the sum of the commune figures for most EPCIs. Summing keeps
// one vintage throughout.
package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Headers of the TSV files; the reader checks them, so a format change
// cannot go unnoticed.
const (
	CommunesHeader = "insee\tname\tdepartment\tpopulation"
	EPCIHeader     = "siren\tname\ttype\tpopulation\tmembers"
)

type rawCommune struct {
	Code        string `json:"code"`
	Nom         string `json:"nom"`
	Type        string `json:"type"`
	Departement string `json:"departement"`
	Population  int    `json:"population"`
}

type rawEPCI struct {
	Code    string `json:"code"`
	Nom     string `json:"nom"`
	Type    string `json:"type"`
	Membres []struct {
		Code string `json:"code"`
	} `json:"membres"`
}

type commune struct {
	insee, name, dept string
	population        int
}

type epci struct {
	siren, name, kind string
	population        int
	members           []string
}

func main() {
	src := flag.String("src", "node_modules/@etalab/decoupage-administratif/data", "data folder of @etalab/decoupage-administratif")
	out := flag.String("out", "internal/territory/data", "folder to write the reference files into")
	flag.Parse()
	if err := run(*src, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(src, out string) error {
	communes, err := loadCommunes(filepath.Join(src, "communes.json"))
	if err != nil {
		return err
	}
	epcis, err := loadEPCIs(filepath.Join(src, "epci.json"), communes)
	if err != nil {
		return err
	}
	source, err := sourceVersion(filepath.Join(src, "..", "package.json"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	files := map[string][]byte{
		"communes.tsv.gz": gzipBytes(communesTSV(communes)),
		"epci.tsv.gz":     gzipBytes(epciTSV(epcis)),
		"SOURCE.txt":      []byte(source + "\n"),
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(out, name), data, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// loadCommunes returns the communes actuelles by INSEE code.
func loadCommunes(path string) (map[string]commune, error) {
	var raw []rawCommune
	if err := readJSON(path, &raw); err != nil {
		return nil, err
	}
	byCode := make(map[string]commune, len(raw))
	for _, r := range raw {
		if r.Type != "commune-actuelle" {
			continue
		}
		if _, dup := byCode[r.Code]; dup {
			return nil, fmt.Errorf("commune %s listed twice as commune-actuelle", r.Code)
		}
		if err := errors.Join(checkCode(r.Code), checkName(r.Nom), checkCode(r.Departement)); err != nil {
			return nil, err
		}
		byCode[r.Code] = commune{r.Code, r.Nom, r.Departement, r.Population}
	}
	if len(byCode) == 0 {
		return nil, errors.New("no commune-actuelle in " + path)
	}
	return byCode, nil
}

// loadEPCIs takes names from communes rather than from the EPCI members,
// because the DGCL spelling of a few member names differs from the COG one.
func loadEPCIs(path string, communes map[string]commune) ([]epci, error) {
	var raw []rawEPCI
	if err := readJSON(path, &raw); err != nil {
		return nil, err
	}
	owner := map[string]string{}
	seen := map[string]bool{}
	var list []epci
	for _, r := range raw {
		if seen[r.Code] {
			return nil, fmt.Errorf("EPCI %s listed twice", r.Code)
		}
		seen[r.Code] = true
		if err := errors.Join(checkCode(r.Code), checkName(r.Nom), checkCode(r.Type)); err != nil {
			return nil, err
		}
		e := epci{siren: r.Code, name: r.Nom, kind: r.Type}
		for _, m := range r.Membres {
			c, ok := communes[m.Code]
			if !ok {
				return nil, fmt.Errorf("EPCI %s: member %s is not a commune actuelle", r.Code, m.Code)
			}
			if prev, taken := owner[m.Code]; taken {
				return nil, fmt.Errorf("commune %s belongs to EPCI %s and %s", m.Code, prev, r.Code)
			}
			owner[m.Code] = r.Code
			e.members = append(e.members, m.Code)
			e.population += c.population
		}
		if len(e.members) == 0 {
			return nil, fmt.Errorf("EPCI %s has no member", r.Code)
		}
		slices.Sort(e.members)
		list = append(list, e)
	}
	slices.SortFunc(list, func(a, b epci) int { return strings.Compare(a.siren, b.siren) })
	return list, nil
}

// checkCode keeps codes to letters and digits ("2A004", "CA"), so they can
// never clash with the tab and comma separators.
func checkCode(code string) error {
	if code == "" || strings.IndexFunc(code, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'A' <= r && r <= 'Z')
	}) >= 0 {
		return fmt.Errorf("unusable code %q", code)
	}
	return nil
}

// checkName keeps names on one TSV field.
func checkName(name string) error {
	if name == "" || strings.ContainsAny(name, "\t\n\r") {
		return fmt.Errorf("unusable name %q", name)
	}
	return nil
}

func communesTSV(communes map[string]commune) []byte {
	codes := make([]string, 0, len(communes))
	for code := range communes {
		codes = append(codes, code)
	}
	slices.Sort(codes)
	var b bytes.Buffer
	b.WriteString(CommunesHeader + "\n")
	for _, code := range codes {
		c := communes[code]
		writeRow(&b, c.insee, c.name, c.dept, strconv.Itoa(c.population))
	}
	return b.Bytes()
}

func epciTSV(list []epci) []byte {
	var b bytes.Buffer
	b.WriteString(EPCIHeader + "\n")
	for _, e := range list {
		writeRow(&b, e.siren, e.name, e.kind, strconv.Itoa(e.population), strings.Join(e.members, ","))
	}
	return b.Bytes()
}

func writeRow(b *bytes.Buffer, fields ...string) {
	b.WriteString(strings.Join(fields, "\t"))
	b.WriteByte('\n')
}

// gzipBytes leaves the header empty (no name, zero ModTime) so the output
// depends on the content alone.
func gzipBytes(data []byte) []byte {
	var b bytes.Buffer
	zw, err := gzip.NewWriterLevel(&b, gzip.BestCompression)
	if err != nil {
		panic(err) // only on an invalid level, a constant here
	}
	zw.Write(data) // writes into a bytes.Buffer cannot fail
	zw.Close()
	return b.Bytes()
}

// sourceVersion names the package release, so the committed data says
// which vintage it holds.
func sourceVersion(path string) (string, error) {
	var pkg struct{ Name, Version string }
	if err := readJSON(path, &pkg); err != nil {
		return "", err
	}
	if pkg.Name == "" || pkg.Version == "" {
		return "", fmt.Errorf("%s: no name or version", path)
	}
	return pkg.Name + " " + pkg.Version, nil
}
