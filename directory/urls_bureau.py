# The bureau's back office.
app_name = "bureau"
urlpatterns = []
