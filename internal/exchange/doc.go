// Package exchange is Copilote's exchange format: one JSON document that
// carries a whole database (or one CTG) from one deployment to another, and
// that other tools read. docs/exchange.md describes it for people,
// docs/exchange.schema.json for programs.
//
// The package knows the format, its order and its rules, and checks what it
// reads against the domain's own Validate; it knows no SQL. The store reads
// rows into these types (Source) and writes them back (Sink), so that the
// same statements serve every deployment.
//
// Both directions stream: the writer encodes one object at a time and the
// reader decodes one object at a time, so a national file of ten million
// records never sits in memory. What the reader keeps is the ids it has
// seen, to check references without asking the database.
package exchange

import "copilote/internal/framework"

// Format and Version name the document; a reader refuses any other.
const (
	Format  = "copilote-exchange"
	Version = 1
)

// Section names, in the order the document holds them: each section refers
// only to the ones before it (a record to its CTG, post, partners and
// fiche action), so that a reader checks every reference as it goes.
const (
	SecCafs          = "cafs"
	SecNomenclatures = "nomenclatures"
	SecPartners      = "partners"
	SecCTGs          = "ctgs"
	SecActions       = "actions"
	SecRecords       = "records"
	SecActionUpdates = "action_updates"
	SecSurveyWaves   = "survey_waves"
	SecEvaluations   = "evaluations"
)

// Sections is the document's order.
var Sections = []string{SecCafs, SecNomenclatures, SecPartners, SecCTGs, SecActions, SecRecords,
	SecActionUpdates, SecSurveyWaves, SecEvaluations}

// FrameworkVersion is the version of the seed's tables this binary uses;
// posts, delegations and evaluations name its function codes.
func FrameworkVersion() string { return framework.Load().Version }

// Counts is how many objects each section held.
type Counts map[string]int

// ProgressEvery is how many records pass between two progress lines.
const ProgressEvery = 10000
