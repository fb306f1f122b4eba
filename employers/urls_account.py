# Registration, staff and invitations (filled in by the accounts side of the employers issue).
urlpatterns = []
