from django.urls import path

from .views import households, lifecycle, people, search

app_name = "residents"
urlpatterns = [
    path("search/", search.search, name="search"),
    path("people/<int:pk>/", people.person_file, name="person"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/actions/<str:action>/", lifecycle.person_action, name="person_action"),
    path("people/duplicates/", people.person_duplicates, name="person_duplicates"),
    path("hamlets/<int:hamlet_pk>/people/new/", people.person_new, name="person_create"),
    path("hamlets/<int:hamlet_pk>/households/new/", households.household_new, name="household_create"),
    path("households/<int:pk>/", households.household_detail, name="household"),
    path("households/<int:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<int:pk>/move/", households.household_move_view, name="household_move"),
    path("households/<int:pk>/end/", households.household_end, name="household_end"),
    path("households/<int:household_pk>/members/new/", people.person_new, name="member_create"),
]
