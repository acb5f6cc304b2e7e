package web

import (
	"io"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// What the crawl reads of a page: its title, its links and its forms, as
// a browser would find them.

type pageLink struct {
	href, text string
}

type pageForm struct {
	method string // GET or POST
	action string // as written; the page's address when empty
	// fields are the values the form sends untouched; hidden are the
	// hidden ones, what a probe sends.
	fields, hidden url.Values
	// submits are its buttons: each may post elsewhere (formaction).
	submits []submitter
	// fillable are the names of the controls a user types in or chooses
	// from (text, number, date…, select, textarea).
	fillable []string
}

// submitter is one way to send a form: a submit button.
type submitter struct {
	label, name, value string
	action, method     string // formaction and formmethod, if any
}

// submissions are the requests the form's buttons send, each with its
// label, method and action (relative to the page) and the fields of the
// form: all of them for GET, the hidden ones for POST.
func (f pageForm) submissions() []submission {
	subs := f.submits
	if len(subs) == 0 {
		subs = []submitter{{label: "formulaire"}}
	}
	out := make([]submission, 0, len(subs))
	for _, b := range subs {
		s := submission{label: b.label, method: f.method, action: f.action, body: url.Values{}}
		if b.method != "" {
			s.method = strings.ToUpper(b.method)
		}
		if b.action != "" {
			s.action = b.action
		}
		from := f.hidden
		if s.method == "GET" {
			from = f.fields
		}
		for k, vs := range from {
			s.body[k] = append([]string{}, vs...)
		}
		if b.name != "" {
			s.body.Add(b.name, b.value)
		}
		out = append(out, s)
	}
	return out
}

type submission struct {
	label, method, action string
	body                  url.Values
}

type parsedPage struct {
	title string
	links []pageLink
	forms []pageForm
}

func parsePage(r io.Reader) (*parsedPage, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, err
	}
	p := &parsedPage{}
	var walk func(n *html.Node, form *pageForm)
	walk = func(n *html.Node, form *pageForm) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "title":
				p.title = strings.TrimSpace(textOf(n))
			case "a":
				if href, ok := attr(n, "href"); ok {
					p.links = append(p.links, pageLink{href: href, text: linkText(n)})
				}
			case "form":
				f := pageForm{method: strings.ToUpper(attrOr(n, "method", "GET")), action: attrOr(n, "action", ""),
					fields: url.Values{}, hidden: url.Values{}}
				for c := n.FirstChild; c != nil; c = c.NextSibling {
					walk(c, &f)
				}
				p.forms = append(p.forms, f)
				return
			case "input", "select", "textarea", "button":
				if form != nil {
					form.control(n)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, form)
		}
	}
	walk(doc, nil)
	return p, nil
}

// control adds what one control sends when the form is submitted as shown.
func (f *pageForm) control(n *html.Node) {
	name, _ := attr(n, "name")
	_, disabled := attr(n, "disabled")
	if disabled {
		return
	}
	typ := strings.ToLower(attrOr(n, "type", "text"))
	_, unseen := attr(n, "hidden") // a username for password managers, no one types in it
	if name != "" && !unseen && (n.Data == "select" || n.Data == "textarea" || n.Data == "input" && !notTyped[typ]) &&
		!slices.Contains(f.fillable, name) {
		f.fillable = append(f.fillable, name)
	}
	switch n.Data {
	case "input":
		switch typ {
		case "submit":
			f.submit(n, name, attrOr(n, "value", ""))
			return
		case "checkbox", "radio":
			if _, on := attr(n, "checked"); !on {
				return
			}
			if name != "" {
				f.fields.Add(name, attrOr(n, "value", "on"))
			}
			return
		case "file", "button", "reset", "image":
			return
		}
		if name == "" {
			return
		}
		f.fields.Add(name, attrOr(n, "value", ""))
		if typ == "hidden" {
			f.hidden.Add(name, attrOr(n, "value", ""))
		}
	case "select":
		if name == "" {
			return
		}
		first, chosen, found, seen := "", "", false, false
		var options func(*html.Node)
		options = func(c *html.Node) {
			if c.Type == html.ElementNode && c.Data == "option" {
				v, ok := attr(c, "value")
				if !ok {
					v = strings.TrimSpace(textOf(c))
				}
				if !seen {
					first, seen = v, true
				}
				if _, sel := attr(c, "selected"); sel && !found {
					chosen, found = v, true
				}
			}
			for k := c.FirstChild; k != nil; k = k.NextSibling {
				options(k)
			}
		}
		options(n)
		if !found {
			chosen = first
		}
		f.fields.Add(name, chosen)
	case "textarea":
		if name != "" {
			f.fields.Add(name, textOf(n))
		}
	case "button":
		if t := strings.ToLower(attrOr(n, "type", "submit")); t == "submit" {
			f.submit(n, name, attrOr(n, "value", ""))
		}
	}
}

// notTyped are the inputs a user does not type in.
var notTyped = map[string]bool{"hidden": true, "checkbox": true, "radio": true, "submit": true, "button": true,
	"reset": true, "image": true, "file": true}

// submit records a button: its text names what it sends.
func (f *pageForm) submit(n *html.Node, name, value string) {
	label := strings.Join(strings.Fields(textOf(n)), " ")
	if label == "" {
		label = value
	}
	f.submits = append(f.submits, submitter{label: label, name: name, value: value,
		action: attrOr(n, "formaction", ""), method: attrOr(n, "formmethod", "")})
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func attrOr(n *html.Node, key, def string) string {
	if v, ok := attr(n, key); ok {
		return v
	}
	return def
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// linkText is what a screen reader announces for a link.
func linkText(n *html.Node) string {
	if l, ok := attr(n, "aria-label"); ok {
		return l
	}
	return strings.Join(strings.Fields(textOf(n)), " ")
}
