package authz

import (
	"context"

	"copilote/internal/store"
)

// Load builds the principal of a user from the database; called once per
// request, so a revoked grant takes effect at once on every instance.
func Load(ctx context.Context, db *store.DB, userID int64) (*Principal, error) {
	u, err := db.User(ctx, userID)
	if err != nil {
		return nil, err
	}
	ids, err := db.GrantedCTGs(ctx, userID)
	if err != nil {
		return nil, err
	}
	posts, err := db.PostsOfUser(ctx, userID)
	if err != nil {
		return nil, err
	}
	p := &Principal{User: u, CTGs: map[int64]bool{}, Posts: map[int64]int64{}}
	for _, id := range ids {
		p.CTGs[id] = true
	}
	for _, post := range posts {
		p.Posts[post.ID] = post.CTGID
	}
	return p, nil
}
