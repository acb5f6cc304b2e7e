package web

import (
	"net/http"

	"copilote/internal/store"
)

// Likely duplicate partners are flagged to everyone who records; an
// officer proposes a merge, which an administrator or advisor of the Caf
// confirms (through the merge form) or rejects (issue 11, item 5).

// partnerPropose records a merge proposal from the duplicates' form; the
// route asks Record, as CanProposeMerge and CanMergePartners together do.
func (s *Server) partnerPropose(w http.ResponseWriter, r *http.Request) error {
	v, err := s.partnerView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	keep, dup, err := v.mergeChoice()
	if err != nil {
		return err
	}
	p := store.MergeProposal{CafID: v.CTG.CafID, CTGID: v.CTG.ID, KeepID: keep, DupID: dup}
	if err := s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error { return tx.ProposeMerge(&p) }); err != nil {
		return err
	}
	http.Redirect(w, r, withOK(v.Base+"?scope=caf", "proposed")+"#dups", http.StatusSeeOther)
	return nil
}

// partnerProposalReject closes a proposal without merging.
func (s *Server) partnerProposalReject(w http.ResponseWriter, r *http.Request) error {
	v, err := s.partnerView(r, newForm(r.PostForm))
	if err != nil {
		return err
	}
	err = s.db.Write(r.Context(), v.User.User.ID, func(tx *store.Tx) error {
		return tx.RejectMerge(v.CTG.CafID, toID(r.PathValue("id")))
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, withOK(v.Base+"?scope=caf", "rejected")+"#dups", http.StatusSeeOther)
	return nil
}

// ProposalOf is the open proposal for the pair of a and b, if any.
func (v *partnerView) ProposalOf(a, b int64) *store.MergeProposal {
	for i, p := range v.Proposals {
		if p.KeepID == a && p.DupID == b || p.KeepID == b && p.DupID == a {
			return &v.Proposals[i]
		}
	}
	return nil
}
