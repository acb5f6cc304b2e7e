package exchange

// The format's own types. They mirror the database, not the domain's JSON:
// the domain's tags serve the web API and may change with it, these are a
// documented interface (docs/exchange.schema.json) and change only with
// Version. Optional fields are left out when empty, which keeps a national
// file small and the output deterministic.

// Header opens the document.
type Header struct {
	Format    string `json:"format"`
	Version   int    `json:"version"`
	Framework string `json:"framework"`
	// CTGID is set when the document holds one CTG (export --ctg).
	CTGID int64 `json:"ctg_id,omitempty"`
}

type Caf struct {
	ID         int64  `json:"id"`
	Code       string `json:"code"`
	Name       string `json:"name"`
	Department string `json:"department,omitempty"`
	// SurveyCommentMonths is how long the Caf keeps its surveys' free
	// comments (0, left out: for good); SurveyQuestions its own survey
	// questions, whose answers the waves carry.
	SurveyCommentMonths int              `json:"survey_comment_months,omitempty"`
	SurveyQuestions     []SurveyQuestion `json:"survey_questions,omitempty"`
}

// SurveyQuestion is a Caf's own Likert statement; its answers never enter
// E32 nor E42.
type SurveyQuestion struct {
	ID       int64  `json:"id"`
	Audience string `json:"audience"`
	Text     string `json:"text"`
	Retired  bool   `json:"retired,omitempty"`
}

// Nomenclature is a value a Caf added to a list; the national values are
// seeded by every deployment and are not carried.
type Nomenclature struct {
	CafID    int64  `json:"caf_id"`
	Kind     string `json:"kind"`
	Code     string `json:"code"`
	Label    string `json:"label"`
	Position int    `json:"position"`
	Active   bool   `json:"active"`
}

type Partner struct {
	ID         int64  `json:"id"`
	CafID      int64  `json:"caf_id"`
	Name       string `json:"name"`
	Type       string `json:"type"`
	SIRET      string `json:"siret,omitempty"`
	MergedInto int64  `json:"merged_into,omitempty"`
	CreatedAt  Time   `json:"created_at"`
}

// CTG carries its territory, governance and posts: they belong to it alone.
type CTG struct {
	ID          int64       `json:"id"`
	CafID       int64       `json:"caf_id"`
	Name        string      `json:"name"`
	EPCISIREN   string      `json:"epci_siren,omitempty"`
	Population  int         `json:"population"`
	Start       Date        `json:"start"`
	End         Date        `json:"end"`
	CreatedAt   Time        `json:"created_at"`
	UpdatedAt   Time        `json:"updated_at"`
	Communes    []Commune   `json:"communes,omitempty"`
	Signatories []Signatory `json:"signatories,omitempty"`
	Axes        []string    `json:"axes,omitempty"`
	Objectives  []Objective `json:"objectives,omitempty"`
	Instances   []Instance  `json:"instances,omitempty"`
	Posts       []Post      `json:"posts,omitempty"`
	Targets     []Target    `json:"targets,omitempty"`
	OpenData    []OpenData  `json:"open_data,omitempty"`
}

// OpenData is a measure of the CTG's territory for a year, kept from a
// data.caf.fr file (docs/opendata.md): the EPCI's (level epci, code its
// SIREN) or a commune's (level commune, code its INSEE code). Value is
// absent when the cell was blank or masked; Raw is the cell as published.
type OpenData struct {
	Level      string   `json:"level"`
	Code       string   `json:"code"`
	Measure    string   `json:"measure"`
	Year       int      `json:"year"`
	Value      *float64 `json:"value,omitempty"`
	Raw        string   `json:"raw,omitempty"`
	Source     string   `json:"source"`
	ImportedAt Time     `json:"imported_at"`
}

// Target is an indicator's target for a year of the CTG, or its baseline at
// signature when Year is 0.
type Target struct {
	Indicator string  `json:"indicator"`
	Year      int     `json:"year"`
	Value     float64 `json:"value"`
}

type Commune struct {
	INSEE      string `json:"insee"`
	Name       string `json:"name"`
	Population int    `json:"population"`
}

type Signatory struct {
	Organisation  string `json:"organisation"`
	RepresentedBy string `json:"represented_by,omitempty"`
}

type Objective struct {
	ID       int64  `json:"id"`
	Kind     string `json:"kind"`
	Label    string `json:"label"`
	Target   int    `json:"target"`
	Achieved int    `json:"achieved"`
}

type Instance struct {
	ID   int64  `json:"id"`
	Kind string `json:"kind"`
	Name string `json:"name"`
	Axis string `json:"axis,omitempty"`
}

// Post leaves out the account that holds it: accounts are not carried
// (docs/exchange.md says why).
type Post struct {
	ID           int64    `json:"id"`
	Person       string   `json:"person"`
	Employer     string   `json:"employer"`
	ETP          int      `json:"etp"` // hundredths: 80 is 0,8 ETP
	Start        Date     `json:"start"`
	End          Date     `json:"end,omitzero"`
	ChefDeProjet bool     `json:"chef_de_projet,omitempty"`
	AnnualCost   int64    `json:"annual_cost"`
	CafCofunding int64    `json:"caf_cofunding,omitempty"`
	Functions    []string `json:"functions"`
	Axes         []string `json:"axes,omitempty"`
}

type Action struct {
	ID             int64             `json:"id"`
	CTGID          int64             `json:"ctg_id"`
	Code           string            `json:"code"`
	Title          string            `json:"title"`
	Axis           string            `json:"axis"`
	Objective      string            `json:"objective,omitempty"`
	Finding        string            `json:"finding,omitempty"`
	PilotStructure string            `json:"pilot_structure,omitempty"`
	PilotPerson    string            `json:"pilot_person,omitempty"`
	TargetPublic   string            `json:"target_public,omitempty"`
	Steps          string            `json:"steps,omitempty"`
	Start          Date              `json:"start,omitzero"`
	End            Date              `json:"end,omitzero"`
	BudgetPlanned  int64             `json:"budget_planned,omitempty"`
	BudgetActual   int64             `json:"budget_actual,omitempty"`
	CafLever       string            `json:"caf_lever,omitempty"`
	Priority       bool              `json:"priority,omitempty"`
	Status         string            `json:"status"`
	Progress       int               `json:"progress,omitempty"`
	CreatedAt      Time              `json:"created_at"`
	UpdatedAt      Time              `json:"updated_at"`
	DeletedAt      Time              `json:"deleted_at,omitzero"`
	Partners       []ActionPartner   `json:"partners,omitempty"`
	Communes       []string          `json:"communes,omitempty"`
	Milestones     []Milestone       `json:"milestones,omitempty"`
	Cofunders      []Cofunder        `json:"cofunders,omitempty"`
	Indicators     []ActionIndicator `json:"indicators,omitempty"`
}

type ActionPartner struct {
	PartnerID int64  `json:"partner_id"`
	Role      string `json:"role,omitempty"`
}

type Milestone struct {
	Year  int    `json:"year"`
	Label string `json:"label"`
}

type Cofunder struct {
	Name   string `json:"name"`
	Amount int64  `json:"amount"`
}

// ActionIndicator is one of a fiche's own result indicators.
type ActionIndicator struct {
	Label    string  `json:"label"`
	Baseline float64 `json:"baseline"`
	Target   float64 `json:"target"`
	Achieved float64 `json:"achieved"`
}

// Record is one activity record, deleted ones included (with deleted_at),
// so that a deleted record stays deleted and can still be restored.
type Record struct {
	ID                  int64           `json:"id"`
	CTGID               int64           `json:"ctg_id"`
	PostID              int64           `json:"post_id"`
	Kind                string          `json:"kind"`
	Date                Date            `json:"date"`
	Title               string          `json:"title,omitempty"`
	Comment             string          `json:"comment,omitempty"`
	InstanceID          int64           `json:"instance_id,omitempty"`
	ActionID            int64           `json:"action_id,omitempty"`
	MeetingID           int64           `json:"meeting_id,omitempty"`
	Axis                string          `json:"axis,omitempty"`
	Nature              string          `json:"nature,omitempty"`
	Audience            string          `json:"audience,omitempty"`
	InstanceKind        string          `json:"instance_kind,omitempty"`
	Facilitated         bool            `json:"facilitated,omitempty"`
	Innovative          bool            `json:"innovative,omitempty"`
	Network             bool            `json:"network,omitempty"`
	HabitantsConception bool            `json:"habitants_conception,omitempty"`
	HabitantsEvaluation bool            `json:"habitants_evaluation,omitempty"`
	Status              string          `json:"status,omitempty"`
	Origin              string          `json:"origin,omitempty"`
	TakenOn             Date            `json:"taken_on,omitzero"`
	TakenHow            string          `json:"taken_how,omitempty"`
	RequestsExamined    int             `json:"requests_examined,omitempty"`
	PlacesAllocated     int             `json:"places_allocated,omitempty"`
	LinkedOn            Date            `json:"linked_on,omitzero"`
	LinkedInstanceID    int64           `json:"linked_instance_id,omitempty"`
	PartnerIDs          []int64         `json:"partner_ids,omitempty"`
	Roles               []Role          `json:"roles,omitempty"`
	SubjectHistory      []SubjectStatus `json:"subject_history,omitempty"`
	Attachment          *Attachment     `json:"attachment,omitempty"`
	CreatedAt           Time            `json:"created_at"`
	UpdatedAt           Time            `json:"updated_at"`
	DeletedAt           Time            `json:"deleted_at,omitzero"`
}

type Role struct {
	PostID int64  `json:"post_id"`
	Role   string `json:"role"`
}

// SubjectStatus is one step of a subject's history, oldest first.
type SubjectStatus struct {
	Status string `json:"status"`
	Date   Date   `json:"date"`
	How    string `json:"how,omitempty"`
	PostID int64  `json:"post_id"`
}

// Attachment is a support's file; Data is base64 in the document.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	Data        []byte `json:"data"`
}

type ActionUpdate struct {
	ID            int64  `json:"id"`
	ActionID      int64  `json:"action_id"`
	PostID        int64  `json:"post_id"`
	Date          Date   `json:"date"`
	Status        string `json:"status"`
	Percent       int    `json:"percent"`
	Difficulties  string `json:"difficulties,omitempty"`
	AlertRecordID int64  `json:"alert_record_id,omitempty"`
	CreatedAt     Time   `json:"created_at"`
}

// SurveyWave carries its anonymous responses.
type SurveyWave struct {
	ID        int64      `json:"id"`
	CTGID     int64      `json:"ctg_id"`
	Audience  string     `json:"audience"`
	Kind      string     `json:"kind"`
	Date      Date       `json:"date"`
	Closes    Date       `json:"closes,omitzero"`
	Token     string     `json:"token"`
	ClosedAt  Time       `json:"closed_at,omitzero"`
	Responses []Response `json:"responses,omitempty"`
}

type Response struct {
	SubmittedAt Time           `json:"submitted_at"`
	Comment     string         `json:"comment,omitempty"`
	Scores      map[string]int `json:"scores"`
	// Source is "papier" for an answer typed in from paper; left out
	// online.
	Source string `json:"source,omitempty"`
	// Extra holds the scores of the Caf's own questions, by question id.
	Extra map[string]int `json:"extra,omitempty"`
}

// Evaluation is a post's end-of-period evaluation; who validated it is an
// account, and accounts are not carried.
type Evaluation struct {
	ID          int64       `json:"id"`
	PostID      int64       `json:"post_id"`
	From        Date        `json:"from"`
	To          Date        `json:"to"`
	Status      string      `json:"status"`
	Snapshot    string      `json:"snapshot,omitempty"`
	ValidatedAt Time        `json:"validated_at,omitzero"`
	CreatedAt   Time        `json:"created_at"`
	UpdatedAt   Time        `json:"updated_at"`
	Appraisals  []Appraisal `json:"appraisals,omitempty"`
	// The officer's free sections, the advisor's opinion, the last
	// submission, and the name of who validated (migration 0011).
	Strengths       string `json:"strengths,omitempty"`
	Difficulties    string `json:"difficulties,omitempty"`
	Recommendations string `json:"recommendations,omitempty"`
	Review          string `json:"review,omitempty"`
	SubmittedAt     Time   `json:"submitted_at,omitzero"`
	ValidatedByName string `json:"validated_by_name,omitempty"`
}

// Appraisal is a delegated function as the officer appraises it (level ""
// while not yet chosen) and as the advisor reviews it.
type Appraisal struct {
	Function      string `json:"function"`
	Level         string `json:"level"`
	Comment       string `json:"comment,omitempty"`
	ReviewLevel   string `json:"review_level,omitempty"`
	ReviewComment string `json:"review_comment,omitempty"`
}
